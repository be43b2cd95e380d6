/**
 * Prometheus metrics, on a registry of their own (no module-level default
 * registry), served as text at /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { createRelayStats, type RelayStats } from './relay/stats.js';

/**
 * `stats` are the relay's per-frame counters, plain numbers on the hot path,
 * copied into the counters here when scraped.
 */
export function createMetrics(stats: RelayStats = createRelayStats()) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'queuemed_process_' });
  const m = {
    registry,
    connectionsOpen: new Gauge({
      name: 'queuemed_connections_open',
      help: 'Open WebSocket connections',
      registers: [registry],
    }),
    connectionsTotal: new Counter({
      name: 'queuemed_connections_total',
      help: 'Accepted WebSocket connections',
      registers: [registry],
    }),
    closes: new Counter({
      name: 'queuemed_connection_closes_total',
      help: 'Connections closed by the relay, by close code',
      labelNames: ['code'],
      registers: [registry],
    }),
    docsLoaded: new Gauge({
      name: 'queuemed_docs_loaded',
      help: 'Documents loaded in memory',
      registers: [registry],
    }),
    messagesIn: new Counter({
      name: 'queuemed_messages_in_total',
      help: 'Well-formed protocol messages received, by type',
      labelNames: ['type'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [type, n] of Object.entries(stats.messagesIn)) this.inc({ type }, n);
      },
    }),
    bytesIn: new Counter({
      name: 'queuemed_bytes_in_total',
      help: 'Bytes received on WebSockets',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(stats.bytesIn);
      },
    }),
    messagesOut: new Counter({
      name: 'queuemed_messages_out_total',
      help: 'Frames sent on WebSockets',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(stats.framesOut);
      },
    }),
    bytesOut: new Counter({
      name: 'queuemed_bytes_out_total',
      help: 'Bytes sent on WebSockets',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(stats.bytesOut);
      },
    }),
    writesDropped: new Counter({
      name: 'queuemed_readonly_writes_dropped_total',
      help: 'Writes sent by read-only connections and dropped',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(stats.writesDropped);
      },
    }),
    storeAppendSeconds: new Histogram({
      name: 'queuemed_store_append_seconds',
      help: 'Latency of group-committed appends to the store',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    storeBatchSize: new Histogram({
      name: 'queuemed_store_batch_size',
      help: 'Updates per group commit',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250],
      registers: [registry],
    }),
    forgedWrites: new Counter({
      name: 'queuemed_forged_writes_total',
      help: 'Board writes refused by the forged-write guard (writer closed with 4422)',
      registers: [registry],
    }),
    storeCaughtUp: new Counter({
      name: 'queuemed_store_caught_up_updates_total',
      help: 'Updates another process stored that this one loaded into a live document',
      registers: [registry],
    }),
    errors: new Counter({
      name: 'queuemed_errors_total',
      help: 'Errors, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
