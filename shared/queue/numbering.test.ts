import { describe, expect, it } from 'vitest';
import { archiveDay } from './archive.js';
import { addDays, clinicDay } from './day.js';
import { allEntries, getEntry } from './entries.js';
import { configureService } from './config-ops.js';
import {
  assignDeviceTag,
  deviceTag,
  deviceTagAt,
  grantNumberBlock,
  nextTicketNumber,
  numberingKeys,
  readGrants,
  releaseNumbers,
  remainingNumbers,
  reserveNumbers,
} from './numbering.js';
import { addEntry } from './ops.js';
import { parseServiceId } from './schema.js';
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

describe('ticket numbering (rules N1–N8)', () => {
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

  it('writes the number the server issued for the ticket, and refuses one already on a ticket of the day', () => {
    const { doc } = seededClinic();
    const first = must(
      addEntry(doc, { source: 'walk-in' }, makeCtx(T0, { device: 'desk-1', number: 1 })),
    ).entry;
    expect(first).toMatchObject({ label: 'A-001', number: 1, provisional: false });
    // The server's own tickets need no grant either.
    expect(
      must(addEntry(doc, { source: 'qr' }, makeCtx(T0 + 1, { device: 'server-x', number: 2 })))
        .entry.label,
    ).toBe('A-002');
    expect(
      codeOf(addEntry(doc, { source: 'qr' }, makeCtx(T0 + 2, { device: 'desk-2', number: 1 }))),
    ).toBe('invalid-argument');
    expect(
      codeOf(addEntry(doc, { source: 'qr' }, makeCtx(T0 + 2, { device: 'desk-2', number: 0 }))),
    ).toBe('invalid-argument');
  });

  it('issues from its reserve lowest first, never a withheld number, then its short tagged series, flagged', () => {
    const { doc } = seededClinic();
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 11, size: 2 }, server));
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 31, size: 1 }, server));
    must(assignDeviceTag(doc, { device: 'desk-1', day, tag: 'K' }, server));
    expect(remainingNumbers(doc, 'desk-1', day)).toBe(3);
    const withheld = new Set([12]);
    expect(reserveNumbers(doc, 'desk-1', day, withheld)).toEqual([11, 31]);
    const add = (i: number) =>
      must(addEntry(doc, { source: 'walk-in' }, makeCtx(T0 + i, { device: 'desk-1', withheld })))
        .entry;
    const issued = [1, 2, 3, 4].map(add);
    expect(issued.map((e) => e.label)).toEqual(['A-011', 'A-031', 'A-K1', 'A-K2']);
    expect(issued.map((e) => e.provisional)).toEqual([false, false, true, true]);
    expect(nextTicketNumber(doc, 'desk-1', day, undefined, withheld)).toBeNull();
    // The series is the device's across services: one counter per tag.
    const lab = parseServiceId('lab');
    must(configureService(doc, { id: lab, name: 'Prélèvements', prefix: 'L' }, makeCtx(T0)));
    expect(
      must(
        addEntry(
          doc,
          { source: 'walk-in', service: lab },
          makeCtx(T0 + 5, { device: 'desk-1', withheld }),
        ),
      ).entry.label,
    ).toBe('L-K3');
  });

  it('falls back to the clientID series when the device has no tag yet', () => {
    const { doc } = seededClinic();
    const e = must(addEntry(doc, { source: 'walk-in' }, makeCtx(T0, { device: 'desk-1' }))).entry;
    expect(e.label).toBe(`A-${doc.clientID.toString(36).toUpperCase()}-1`);
    expect(e.provisional).toBe(true);
  });

  it('releases only what was granted to the device and unused, splitting its block, once', () => {
    const { doc } = seededClinic();
    must(grantNumberBlock(doc, { device: 'desk-1', day, start: 5, size: 3 }, server));
    must(grantNumberBlock(doc, { device: 'desk-2', day, start: 8, size: 1 }, server));
    must(addEntry(doc, { source: 'walk-in' }, makeCtx(T0, { device: 'desk-1' }))); // uses 5
    const r = must(releaseNumbers(doc, { device: 'desk-1', day, numbers: [5, 6, 8, 99] }, server));
    expect(r.released).toEqual([6]);
    expect(readGrants(doc, day).map((g) => [g.device, g.start, g.size])).toEqual([
      ['desk-1', 5, 1],
      ['desk-1', 7, 1],
      ['desk-2', 8, 1],
    ]);
    expect(reserveNumbers(doc, 'desk-1', day)).toEqual([7]);
    expect(
      must(releaseNumbers(doc, { device: 'desk-1', day, numbers: [6] }, server)).released,
    ).toEqual([]);
  });

  it('assigns each device one short letter tag per day, never I or O, and keeps the first', () => {
    const tags = Array.from({ length: 24 * 25 }, (_, i) => deviceTagAt(i));
    expect(tags.slice(0, 3)).toEqual(['K', 'M', 'N']);
    expect(tags[24]).toBe('KK');
    expect(new Set(tags).size).toBe(tags.length);
    expect(tags.every((t) => t !== null && /^[A-HJ-NP-Z]{1,2}$/.test(t))).toBe(true);
    expect(deviceTagAt(24 * 25)).toBeNull();
    const { doc } = seededClinic();
    expect(must(assignDeviceTag(doc, { device: 'desk-1', day, tag: 'K' }, server)).tag).toBe('K');
    expect(must(assignDeviceTag(doc, { device: 'desk-1', day, tag: 'M' }, server)).tag).toBe('K');
    expect(deviceTag(doc, 'desk-1', day)).toBe('K');
    expect(deviceTag(doc, 'desk-1', addDays(day, 1))).toBeNull();
    expect(codeOf(assignDeviceTag(doc, { device: 'desk-2', day, tag: 'K1' }, server))).toBe(
      'invalid-argument',
    );
  });

  it('keeps labels unique when two devices issue offline at the same time', () => {
    const { doc: srv } = seededClinic(SETTINGS, 100);
    const grant = fakeGranter();
    for (const [device, tag] of [
      ['desk-1', 'K'],
      ['desk-2', 'M'],
    ] as const) {
      must(grantNumberBlock(srv, { device, day, ...grant(day, 3) }, server));
      must(assignDeviceTag(srv, { device, day, tag }, server));
    }
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
    expect(labels.filter((l) => !/^A-\d{3}$/.test(l)).sort()).toEqual([
      'A-K1',
      'A-K2',
      'A-M1',
      'A-M2',
    ]);
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
    must(assignDeviceTag(doc, { device: 'desk-1', day, tag: 'K' }, server));
    must(archiveDay(doc, { day }, makeCtx(T0 + DAY_MS)));
    expect(readGrants(doc, day)).toEqual([]);
    expect(numberingKeys(doc, day)).toEqual([]);
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
