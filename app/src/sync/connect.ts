/**
 * The sync layer for one document: the unmodified y-websocket client and a
 * zustand vanilla store of plain connection state React can read.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { isPermanentClose } from '../../../shared/protocol.js';

export type ConnectionStatus = 'connecting' | 'synced' | 'reconnecting' | 'closed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Set when the server closed with a 44xx code: we stop retrying and say why. */
  closedReason: string | null;
  /** Plain JSON snapshot of the doc's root types, for display. */
  snapshot: Record<string, unknown>;
}

export interface DocConnection {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly store: StoreApi<ConnectionState>;
  destroy(): void;
}

export function wsBaseUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export function connectDoc(
  docName: string,
  token: string,
  base = wsBaseUrl(window.location),
): DocConnection {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(base, docName, doc, {
    params: { token },
    disableBc: true,
  });
  const store = createStore<ConnectionState>(() => ({
    status: 'connecting',
    closedReason: null,
    snapshot: {},
  }));
  const refresh = () => {
    const snapshot: Record<string, unknown> = {};
    // Root types arrive untyped from the network; the schemas keep maps at the root.
    for (const [key, type] of doc.share) {
      snapshot[key] =
        type instanceof Y.AbstractType && type._map.size > 0
          ? doc.getMap(key).toJSON()
          : type.toJSON();
    }
    store.setState({ snapshot });
  };
  doc.on('update', refresh);
  provider.on('sync', (synced: boolean) => {
    if (synced) store.setState({ status: 'synced' });
  });
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'disconnected' && store.getState().status !== 'closed')
      store.setState({ status: 'reconnecting' });
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event && isPermanentClose(event.code)) {
      store.setState({ status: 'closed', closedReason: `${event.code} ${event.reason}` });
    }
  });
  return {
    doc,
    provider,
    store,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}
