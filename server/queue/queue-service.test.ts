import { afterEach, describe, expect, it } from 'vitest';
import { parseClinicId, queueDocName, staffDocName } from '../../shared/ids.js';
import {
  httpApiOrigin,
  readGrants,
  readPatient,
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

  it('issues 100 concurrent tickets with distinct numbers from one reserved block each 50, seen live by staff', async () => {
    const { t, service } = await setup();
    const staff = t.provider('queue:c1', await t.token('receptionist'));
    await synced(staff);
    const issued = await Promise.all(
      Array.from({ length: 100 }, () => service.issueTicket(c1, { source: 'qr' }, origin)),
    );
    const labels = issued.map((r) => (r.ok ? r.entry.label : r.error.code));
    expect(new Set(labels).size).toBe(100);
    expect(labels.every((l) => /^[A-Z]+-\d{3}$/.test(l))).toBe(true);
    expect(issued.map((r) => r.ok && r.position)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const grants = await t.server.relay.read(queueDocName(c1), (doc) => readGrants(doc));
    expect(grants.map((g) => g.size)).toEqual([50, 50]);
    await until(() => waitingList(staff.doc, Date.now()).length === 100, 10_000, 'staff sees 100');
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

  it("grants device blocks that never overlap the server's own", async () => {
    const { service } = await setup();
    const a = await service.issueTicket(c1, { source: 'api' }, origin);
    const g = await service.grantBlock(c1, { device: 'tab-1' });
    expect(a.ok && g.ok).toBe(true);
    if (!g.ok) return;
    expect(g.grant.start).toBe(51);
    expect(g.grant.size).toBe(100);
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
