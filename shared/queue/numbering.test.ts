import { describe, expect, it } from 'vitest';
import { archiveDay } from './archive.js';
import { addDays, clinicDay } from './day.js';
import { allEntries, getEntry } from './entries.js';
import { grantNumberBlock, nextTicketNumber, readGrants, remainingNumbers } from './numbering.js';
import { addEntry } from './ops.js';
import { serverOrigin } from './origins.js';
import {
  codeOf,
  DAY_MS,
  fork,
  makeCtx,
  MIN,
  must,
  SETTINGS,
  seededClinic,
  sync,
  T0,
} from './test-support/fixtures.js';
import type { Day } from './types.js';

const day = clinicDay(T0, SETTINGS);
const server = { now: T0, origin: serverOrigin };

/** A stand-in for the server's database sequence: blocks never overlap. */
function fakeGranter() {
  const next = new Map<string, number>();
  return (day: Day, size: number) => {
    const start = next.get(day) ?? 1;
    next.set(day, start + size);
    return { start, size };
  };
}

describe('ticket numbering (rules N1–N6)', () => {
  it('grants blocks idempotently and refuses overlapping or malformed blocks', () => {
    const { doc } = seededClinic();
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 1, size: 10 }, server));
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 1, size: 10 }, server));
    expect(readGrants(doc, day)).toHaveLength(1);
    expect(
      codeOf(grantNumberBlock(doc, { device: 'desk-2', day, start: 5, size: 10 }, server)),
    ).toBe('invalid-argument');
    expect(
      codeOf(grantNumberBlock(doc, { device: 'desk 2', day, start: 20, size: 10 }, server)),
    ).toBe('invalid-argument');
    expect(
      codeOf(grantNumberBlock(doc, { device: 'desk-2', day, start: 0, size: 10 }, server)),
    ).toBe('invalid-argument');
    expect(
      codeOf(grantNumberBlock(doc, { device: 'desk-2', day, start: 20, size: 5000 }, server)),
    ).toBe('invalid-argument');
    expect(
      codeOf(
        grantNumberBlock(
          doc,
          { device: 'desk-2', day: '2025-13-01' as Day, start: 20, size: 5 },
          server,
        ),
      ),
    ).toBe('invalid-argument');
  });

  it('issues from its own blocks in order and reports what is left', () => {
    const { doc } = seededClinic();
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 11, size: 2 }, server));
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 31, size: 1 }, server));
    expect(remainingNumbers(doc, 'desk-1', day)).toBe(3);
    const labels = [1, 2, 3, 4].map(
      (i) =>
        must(addEntry(doc, { source: 'walk-in' }, makeCtx(T0 + i, { device: 'desk-1' }))).entry
          .label,
    );
    expect(labels.slice(0, 3)).toEqual(['A-011', 'A-012', 'A-031']);
    expect(labels[3]).toBe(`A-${doc.clientID.toString(36).toUpperCase()}-1`);
    expect(nextTicketNumber(doc, 'desk-1', day)).toBeNull();
  });

  it('keeps labels unique when two devices issue offline at the same time', () => {
    const { doc: srv } = seededClinic(SETTINGS, 100);
    const grant = fakeGranter();
    for (const device of ['desk-1', 'desk-2'])
      must(grantNumberBlock(srv, { device, day, ...grant(day, 3) }, server));
    const a = fork(srv, 1);
    const b = fork(srv, 2);
    // Both offline, same milliseconds, more tickets than their blocks hold.
    for (let i = 0; i < 5; i++) {
      must(
        addEntry(
          a,
          { source: 'walk-in' },
          makeCtx(T0 + i, { device: 'desk-1', randomBytes: undefined }),
        ),
      );
      must(
        addEntry(
          b,
          { source: 'walk-in' },
          makeCtx(T0 + i, { device: 'desk-2', randomBytes: undefined }),
        ),
      );
    }
    const before = new Map([...allEntries(a), ...allEntries(b)].map((e) => [e.id, e.label]));
    sync(srv, a, b);
    const labels = allEntries(srv).map((e) => e.label);
    expect(labels).toHaveLength(10);
    expect(new Set(labels).size).toBe(10);
    expect(labels.filter((l) => /^A-\d{3}$/.test(l)).sort()).toEqual([
      'A-001',
      'A-002',
      'A-003',
      'A-004',
      'A-005',
      'A-006',
    ]);
    // Nothing a patient saw was renamed by the merge; provisional tickets are flagged.
    for (const e of allEntries(srv)) {
      expect(e.label).toBe(before.get(e.id));
      expect(e.provisional).toBe(e.number === null);
    }
    expect(allEntries(srv).filter((e) => e.provisional)).toHaveLength(4);
  });

  it('resets numbering each clinic day', () => {
    const { doc } = seededClinic();
    const tomorrow = addDays(day, 1);
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 1, size: 5 }, server));
    must(grantNumberBlock(doc, { device: 'desk-1', day: tomorrow, start: 1, size: 5 }, server));
    expect(
      must(addEntry(doc, { source: 'qr' }, makeCtx(T0, { device: 'desk-1' }))).entry.label,
    ).toBe('A-001');
    expect(
      must(addEntry(doc, { source: 'qr' }, makeCtx(T0 + MIN, { device: 'desk-1' }))).entry.label,
    ).toBe('A-002');
    const next = must(
      addEntry(doc, { source: 'qr' }, makeCtx(T0 + DAY_MS, { device: 'desk-1' })),
    ).entry;
    expect(next).toMatchObject({ label: 'A-001', day: tomorrow });
  });

  it('refuses to grant into or issue in an archived day', () => {
    const { doc } = seededClinic();
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 1, size: 5 }, server));
    const e = must(addEntry(doc, { source: 'qr' }, makeCtx(T0, { device: 'desk-1' }))).entry;
    must(archiveDay(doc, { day }, makeCtx(T0 + DAY_MS)));
    expect(readGrants(doc, day)).toEqual([]);
    expect(getEntry(doc, e.id)).toBeNull();
    expect(
      codeOf(grantNumberBlock(doc, { device: 'desk-1', day, start: 6, size: 5 }, server)),
    ).toBe('day-archived');
    // A device whose clock is still in the archived day cannot issue into it.
    expect(codeOf(addEntry(doc, { source: 'qr' }, makeCtx(T0 + MIN, { device: 'desk-1' })))).toBe(
      'day-archived',
    );
  });
});
