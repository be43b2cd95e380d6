/**
 * `queuemed serve --tls-cert --tls-key`: https and wss on the one port, so
 * phones get a secure origin (service worker, notifications, push) without
 * a reverse proxy. The certificate is self-signed, made here with openssl.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DisplaySelf, JoinLinkView } from '../shared/api.js';
import { parseClinicId } from '../shared/ids.js';
import { readClinic } from '../shared/queue/index.js';
import { createClinic } from './clinic-setup.js';
import { ConfigError, resolveConfig, type Config } from './config.js';
import { defaultRelayLimits } from './relay/limits.js';
import { startServer, type RunningServer } from './server.js';
import { synced, TEST_SCRYPT } from './test-support/harness.js';

function selfSignedCert(dir: string): { certFile: string; keyFile: string; cert: Buffer } {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: fs.readFileSync(certFile) };
}

function get(url: string, ca: Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; encrypted: boolean }>((resolve, reject) => {
    const req = https.get(url, { ca, headers, servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, encrypted: true }));
    });
    req.on('error', reject);
  });
}

describe('serving https and wss on one port', () => {
  let dir: string;
  let server: RunningServer;
  let ca: Buffer;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'queuemed-tls-'));
    const { certFile, keyFile, cert } = selfSignedCert(dir);
    ca = cert;
    const config: Config = {
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      databaseUrl: null,
      synchronous: 'normal',
      publicUrl: null,
      trustProxy: false,
      tls: { certFile, keyFile },
      logLevel: 'silent',
      appDir: path.join(dir, 'no-app'),
      limits: defaultRelayLimits,
    };
    server = await startServer(config, pino({ level: 'silent' }), { scrypt: TEST_SCRYPT });
    await createClinic(
      { clinics: server.clinics, store: server.store },
      { id: parseClinicId('c1'), name: 'Clinique TLS' },
      Date.now(),
    );
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the HTTP API over https, and builds https links from the address used', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await get(`https://localhost:${server.port}/healthz`, ca);
    expect(health.status).toBe(200);
    const { token: admin } = await server.tokens.create(
      { clinicId: parseClinicId('c1'), role: 'admin' },
      Date.now(),
    );
    const r = await get(`https://localhost:${server.port}/api/clinics/c1/join-link`, ca, {
      authorization: `Bearer ${admin}`,
      host: 'clinique.lan:8443',
    });
    expect(r.status).toBe(200);
    const link = JoinLinkView.parse(JSON.parse(r.body));
    expect(link.url).toMatch(/^https:\/\/clinique\.lan:8443\/join\//);
    expect(link.base).toMatchObject({ secure: true, loopback: false });
  });

  it('syncs the queue doc over wss with the stock client', async () => {
    const { token } = await server.tokens.create(
      { clinicId: parseClinicId('c1'), role: 'display' },
      Date.now(),
    );
    class TrustingWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { ca });
      }
    }
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`wss://localhost:${server.port}/ws`, 'queue:c1', doc, {
      WebSocketPolyfill: TrustingWebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    });
    try {
      await synced(provider);
      expect(readClinic(doc)?.name).toBe('Clinique TLS');
      const self = await get(`https://localhost:${server.port}/api/displays/self`, ca, {
        authorization: `Bearer ${token}`,
      });
      expect(DisplaySelf.parse(JSON.parse(self.body)).joinUrl).toMatch(/^https:\/\/localhost:/);
    } finally {
      provider.destroy();
    }
  });

  it('refuses plain http on the https port', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`).then(
      (r) => r.status,
      () => 'failed',
    );
    expect(res === 'failed' || (typeof res === 'number' && res >= 400)).toBe(true);
  });
});

describe('TLS settings', () => {
  const opts = { cwd: '/srv', appDir: '/app' };
  it('takes --tls-cert/--tls-key or TLS_CERT_FILE/TLS_KEY_FILE, and needs both', () => {
    expect(resolveConfig({ 'tls-cert': 'c.pem', 'tls-key': 'k.pem' }, {}, opts).tls).toEqual({
      certFile: '/srv/c.pem',
      keyFile: '/srv/k.pem',
    });
    expect(
      resolveConfig({}, { TLS_CERT_FILE: '/etc/c.pem', TLS_KEY_FILE: '/etc/k.pem' }, opts).tls,
    ).toEqual({ certFile: '/etc/c.pem', keyFile: '/etc/k.pem' });
    expect(resolveConfig({}, {}, opts).tls).toBeNull();
    expect(() => resolveConfig({ 'tls-cert': 'c.pem' }, {}, opts)).toThrow(ConfigError);
  });

  it('refuses a PUBLIC_URL that is not an http(s) URL', () => {
    expect(resolveConfig({}, { PUBLIC_URL: 'https://clinic.example/' }, opts).publicUrl).toBe(
      'https://clinic.example',
    );
    expect(() => resolveConfig({}, { PUBLIC_URL: 'clinic.example' }, opts)).toThrow(ConfigError);
    expect(() => resolveConfig({}, { PUBLIC_URL: 'ftp://clinic.example' }, opts)).toThrow(
      ConfigError,
    );
  });
});
