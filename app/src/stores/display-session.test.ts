import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Y from 'yjs';
import { createStore } from 'zustand/vanilla';
import type { DisplaySelf } from '../../../shared/api.js';
import { parseClinicId } from '../../../shared/ids.js';
import { CloseCode } from '../../../shared/protocol.js';
import { serverOrigin, setJoinLinkVersion } from '../../../shared/queue/index.js';
import { fakeOutput } from '../announce/fake-output.js';
import { createServerClock } from '../sync/clock.js';
import { HttpError, type HttpClient } from '../sync/http.js';
import type { ConnectionState, SyncedDoc } from '../sync/synced-doc.js';
import type { KeyValueStorage } from './browser-storage.js';
import { loadDevice, saveDevice, saveSelf } from './display-device.js';
import { openDisplaySession } from './display-session.js';
import { microtask } from './doc-store.js';
import { add, call, clinic, MIN, R1, T0 } from './test-support.js';

const flush = () => new Promise<void>((r) => setTimeout(r, 0));
const device = { token: 'tok', clinicId: parseClinicId('c1'), displayId: 'd1' };

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/** A synced doc the test drives: the connection state is set by hand. */
function fakeSynced(doc: Y.Doc): SyncedDoc {
  const connection = createStore<ConnectionState>(() => ({
    light: 'orange',
    status: 'connecting',
    unsynced: 0,
    unsyncedKeys: [],
    closedCode: null,
    closedReason: null,
    lastSyncedAt: null,
  }));
  return {
    name: '',
    doc,
    provider: null as never,
    connection,
    whenLocal: Promise.resolve(),
    destroy: vi.fn(),
  };
}

const self = (over: Partial<DisplaySelf> = {}): DisplaySelf => ({
  displayId: 'd1',
  name: 'Hall',
  clinicId: 'c1',
  joinUrl: 'https://q.example/join/abc',
  joinUrlValidUntil: T0 + 60 * MIN,
  joinLinkVersion: 1,
  ...over,
});

function open(answers: (() => DisplaySelf)[] = [() => self()], storage = memoryStorage()) {
  let now = T0 + 10 * MIN;
  const clock = createServerClock({ local: () => now });
  saveDevice(device, storage);
  const doc = clinic();
  const synced = fakeSynced(doc);
  let names: string[] = [];
  const requests: string[] = [];
  const http: HttpClient = {
    request: ((route: string) => {
      requests.push(route);
      const next = answers.shift();
      return next ? Promise.resolve().then(next) : new Promise(() => undefined);
    }) as HttpClient['request'],
  };
  const output = fakeOutput(() => now);
  const onRevoked = vi.fn();
  const session = openDisplaySession({
    device,
    clock,
    http,
    output,
    storage,
    coalesce: microtask,
    onRevoked,
    random: () => 0,
    openDoc: (name) => {
      names = [...names, name];
      return synced;
    },
  });
  const setStatus = (status: ConnectionState['status'], closedCode: number | null = null) =>
    synced.connection.setState({ status, closedCode });
  return {
    session,
    doc,
    storage,
    output,
    onRevoked,
    requests,
    names: () => names,
    setStatus,
    advance: (ms: number) => (now += ms),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('display session', () => {
  it('opens the clinic’s public doc and announces a call only once the relay confirmed it', async () => {
    const s = open();
    expect(s.names()).toEqual(['queue:c1']);
    const e = add(s.doc, 9);
    call(s.doc, e, R1, 10);
    await flush();
    expect(s.session.view.getState().current?.ticket).toBe(e.label);
    expect(s.output.events).toHaveLength(0); // the cached state may be stale: not announced
    s.setStatus('synced');
    expect(s.output.events.map((ev) => ev.kind)).toEqual(['chime']);
    s.session.destroy();
  });

  it('forgets the device and goes back to pairing when the relay closes with 4403', () => {
    const s = open();
    s.setStatus('closed', CloseCode.forbidden);
    s.setStatus('closed', CloseCode.forbidden);
    expect(s.onRevoked).toHaveBeenCalledTimes(1);
    expect(loadDevice(s.storage)).toBeNull();
    s.session.destroy();
  });

  it('forgets the device when /api/displays/self answers 401', async () => {
    const s = open([
      () => {
        throw new HttpError(401, 'unauthenticated', 'no');
      },
    ]);
    await flush();
    expect(s.onRevoked).toHaveBeenCalledTimes(1);
    expect(loadDevice(s.storage)).toBeNull();
    s.session.destroy();
  });

  it('keeps the cached join URL while offline and retries every minute', async () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    saveSelf(self({ joinUrl: 'https://q.example/join/cached' }), storage);
    const s = open(
      [
        () => {
          throw new HttpError(0, 'network', 'down');
        },
        () => self({ joinUrl: 'https://q.example/join/fresh' }),
      ],
      storage,
    );
    expect(s.session.self.getState()?.joinUrl).toBe('https://q.example/join/cached');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.requests).toHaveLength(1);
    expect(s.onRevoked).not.toHaveBeenCalled();
    expect(s.session.self.getState()?.joinUrl).toBe('https://q.example/join/cached');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.requests).toHaveLength(2);
    expect(s.session.self.getState()?.joinUrl).toBe('https://q.example/join/fresh');
    s.session.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fetches the join URL again when it expires, and when the doc says the link was regenerated', async () => {
    vi.useFakeTimers();
    const s = open([
      () => self({ joinUrlValidUntil: T0 + 10 * MIN + 5 * 60_000 }),
      () => self({ joinUrl: 'https://q.example/join/next', joinLinkVersion: 1 }),
      () => self({ joinUrl: 'https://q.example/join/regenerated', joinLinkVersion: 2 }),
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.requests).toHaveLength(1);
    s.advance(5 * 60_000);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(s.session.self.getState()?.joinUrl).toBe('https://q.example/join/next');
    setJoinLinkVersion(s.doc, 2, { origin: serverOrigin });
    await vi.advanceTimersByTimeAsync(0);
    expect(s.requests).toHaveLength(3);
    expect(s.session.self.getState()?.joinUrl).toBe('https://q.example/join/regenerated');
    s.session.destroy();
  });

  it('keeps the mute choice for the next start', () => {
    const s = open();
    s.session.sound.getState().setMuted(true);
    expect(s.session.sound.getState().muted).toBe(true);
    expect(s.session.announcer.isMuted()).toBe(true);
    expect(s.storage.data.get('queuemed.display.muted')).toBe('1');
    s.session.destroy();
  });

  it('remembers when its state was last live, while synced and when the connection drops', () => {
    const s = open();
    expect(s.session.liveAt.getState()).toBeNull();
    s.setStatus('synced');
    expect(s.session.liveAt.getState()).toBe(T0 + 10 * MIN);
    s.advance(5_000);
    s.setStatus('reconnecting');
    expect(s.session.liveAt.getState()).toBe(T0 + 10 * MIN + 5_000);
    expect(s.storage.data.get('queuemed.display.liveAt')).toBe(String(T0 + 10 * MIN + 5_000));
    s.session.destroy();
  });
});
