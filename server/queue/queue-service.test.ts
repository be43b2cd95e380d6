import { afterEach, describe, expect, it } from 'vitest';
import { parseClinicId, queueDocName, staffDocName } from '../../shared/ids.js';
import {
  addEntry,
  deviceTag,
  httpApiOrigin,
  readGrants,
  readPatient,
  reserveNumbers,
  setQueueOpen,
  waitingList,
} from '../../shared/queue/index.js';
import { startTestServer, synced, until, type TestServer } from '../test-support/harness.js';
import { createNumberSequence } from './number-sequence.js';
import { createQueueService } from './queue-service.js';

const c1 = parseClinicId('c1');
const origin = httpApiOrigin();

describe('queue service', () => {
  let t: TestServer | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function setup() {
    t = await startTestServer();
    const service = createQueueService({
      relay: t.server.relay,
      sequence: createNumberSequence(t.server.db),
      now: () => Date.now(),
      device: 'server-test',
    });
    await t.server.relay.change(queueDocName(c1), (doc) =>
      setQueueOpen(doc, { open: true }, { now: Date.now(), origin }),
    );
    return { t, service };
  }

  it('issues 100 concurrent tickets numbered 1 to 100, one by one with no block, seen live by staff', async () => {
    const { t, service } = await setup();
    const staff = t.provider('queue:c1', await t.token('receptionist'));
    await synced(staff);
    const issued = await Promise.all(
      Array.from({ length: 100 }, () => service.issueTicket(c1, { source: 'qr' }, origin)),
    );
    const labels = issued.map((r) => (r.ok ? r.entry.label : r.error.code));
    expect([...labels].sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => `A-${String(i + 1).padStart(3, '0')}`),
    );
    expect(issued.map((r) => r.ok && r.position)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const grants = await t.server.relay.read(queueDocName(c1), (doc) => readGrants(doc));
    expect(grants).toEqual([]);
    await until(() => waitingList(staff.doc, Date.now()).length === 100, 10_000, 'staff sees 100');
  });

  it('shares one counter between server instances: each issues the next number, no per-process block', async () => {
    const { t, service } = await setup();
    const other = createQueueService({
      relay: t.server.relay,
      sequence: createNumberSequence(t.server.db),
      now: () => Date.now(),
      device: 'server-other',
    });
    const labels: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await (i % 2 === 0 ? service : other).issueTicket(c1, { source: 'api' }, origin);
      labels.push(r.ok ? r.entry.label : r.error.code);
    }
    expect(labels).toEqual(['A-001', 'A-002', 'A-003', 'A-004', 'A-005', 'A-006']);
  });

  it('keeps names in the staff doc only', async () => {
    const { t, service } = await setup();
    const r = await service.issueTicket(
      c1,
      { source: 'qr', name: 'Jeanne Martin', phone: '0601020304' },
      origin,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const publicJson = await t.server.relay.read(queueDocName(c1), (doc) =>
      JSON.stringify(doc.toJSON()),
    );
    expect(publicJson).not.toContain('Jeanne');
    const patient = await t.server.relay.read(staffDocName(c1), (doc) =>
      readPatient(doc, r.entry.id),
    );
    expect(patient?.name).toBe('Jeanne Martin');
  });

  it('grants a device one number by default and at most three, from the same counter, with its tag for the day', async () => {
    const { t, service } = await setup();
    const a = await service.issueTicket(c1, { source: 'api' }, origin);
    const one = await service.grantBlock(c1, { device: 'tab-1' });
    const many = await service.grantBlock(c1, { device: 'tab-1', size: 100 });
    const other = await service.grantBlock(c1, { device: 'tab-2', size: 2 });
    if (!a.ok || !one.ok || !many.ok || !other.ok) throw new Error('grant failed');
    expect(a.entry.label).toBe('A-001');
    expect([one.grant.start, one.grant.size]).toEqual([2, 1]);
    expect([many.grant.start, many.grant.size]).toEqual([3, 3]);
    expect([other.grant.start, other.grant.size]).toEqual([6, 2]);
    expect([one.tag, many.tag, other.tag]).toEqual(['K', 'K', 'M']);
    const day = one.grant.day;
    expect(await t.server.relay.read(queueDocName(c1), (doc) => deviceTag(doc, 'tab-1', day))).toBe(
      'K',
    );
  });

  it('issues a number given back before moving the counter on, and pools it only once', async () => {
    const { t, service } = await setup();
    const g = await service.grantBlock(c1, { device: 'tab-1', size: 3 });
    if (!g.ok) throw new Error('grant failed');
    const day = g.grant.day;
    // The device used its first reserve number offline before giving the other two back.
    const used = await t.server.relay.change(queueDocName(c1), (doc) =>
      addEntry(doc, { source: 'walk-in' }, { now: Date.now(), origin, device: 'tab-1' }),
    );
    expect(used.ok && used.entry.label).toBe('A-001');
    const back = await service.returnNumbers(c1, { device: 'tab-1', numbers: [1, 2, 3] });
    expect(back.ok && back.returned).toEqual([2, 3]);
    const again = await service.returnNumbers(c1, { device: 'tab-1', numbers: [2, 3] });
    expect(again.ok && again.returned).toEqual([]);
    expect(
      await t.server.relay.read(queueDocName(c1), (doc) => reserveNumbers(doc, 'tab-1', day)),
    ).toEqual([]);
    const labels: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await service.issueTicket(c1, { source: 'qr' }, origin);
      labels.push(r.ok ? r.entry.label : r.error.code);
    }
    expect(labels).toEqual(['A-002', 'A-003', 'A-004']);
  });

  it('gives the number of a refused ticket back, so the counter has no hole', async () => {
    const { t, service } = await setup();
    await t.server.relay.change(queueDocName(c1), (doc) =>
      setQueueOpen(doc, { open: false }, { now: Date.now(), origin }),
    );
    expect((await service.issueTicket(c1, { source: 'qr' }, origin)).ok).toBe(false);
    await t.server.relay.change(queueDocName(c1), (doc) =>
      setQueueOpen(doc, { open: true }, { now: Date.now(), origin }),
    );
    const r = await service.issueTicket(c1, { source: 'qr' }, origin);
    expect(r.ok && r.entry.label).toBe('A-001');
  });

  it('refuses a ticket while the queue is closed', async () => {
    const { t, service } = await setup();
    await t.server.relay.change(queueDocName(c1), (doc) =>
      setQueueOpen(doc, { open: false }, { now: Date.now(), origin }),
    );
    const r = await service.issueTicket(c1, { source: 'qr' }, origin);
    expect(r.ok ? 'ok' : r.error.code).toBe('queue-closed');
  });
});
