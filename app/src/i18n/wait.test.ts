import { describe, expect, it } from 'vitest';
import { waitText } from './wait.js';

describe('waitText', () => {
  it('says the same minutes the same way, French first', () => {
    expect(waitText(null, 'fr')).toBe('—');
    expect(waitText(0, 'fr')).toBe('Très bientôt');
    expect(waitText(0, 'en')).toBe('Very soon');
    expect(waitText(1, 'fr')).toBe('≈ 1\u00a0min');
    expect(waitText(28, 'en')).toBe('≈ 28\u00a0min');
    expect(waitText(59, 'fr')).toBe('≈ 59\u00a0min');
    expect(waitText(60, 'fr')).toBe('≈ 1\u00a0h\u00a000');
    expect(waitText(65, 'en')).toBe('≈ 1\u00a0h\u00a005');
    expect(waitText(130, 'fr')).toBe('≈ 2\u00a0h\u00a010');
  });
});
