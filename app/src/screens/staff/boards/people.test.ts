import { describe, expect, it } from 'vitest';
import { assignable } from './people.js';

const names = { u1: 'Claire Martin', u2: 'Bruno Tableau', gone: 'Ancien Collègue', me: 'Alice' };

describe('who can be assigned to a card', () => {
  it('is every clinic member and oneself once the members list came, sorted by name', () => {
    const members = [
      { id: 'u1', name: 'Claire Martin' },
      { id: 'u3', name: 'Zoé Jamais Connectée' },
    ];
    expect(assignable(names, members, 'me').map((p) => p.name)).toEqual([
      'Alice',
      'Claire Martin',
      'Zoé Jamais Connectée',
    ]);
  });

  it('leaves out someone only remembered or online once the members list says who the clinic has', () => {
    const ids = assignable(names, [{ id: 'u1', name: 'Claire Martin' }], 'me').map((p) => p.id);
    expect(ids).not.toContain('gone');
    expect(ids).not.toContain('u2');
  });

  it('falls back to everyone with a known name while the list has not come (offline)', () => {
    expect(assignable(names, null, 'me').map((p) => p.id)).toEqual(['me', 'gone', 'u2', 'u1']);
  });

  it('gives each person a colour of their own, the same every time', () => {
    const [a] = assignable(names, null, null).filter((p) => p.id === 'u1');
    const [b] = assignable({ u1: 'Claire' }, null, null);
    expect(a!.color).toBe(b!.color);
  });
});
