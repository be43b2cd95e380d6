import { describe, expect, it } from 'vitest';
import { describeUrl, isHostHeader, isLoopbackHost, publicAddress } from './public-url.js';

const policy = { publicUrl: null, trustProxy: false, tls: false, port: () => 8080 };

describe('the address phones will open', () => {
  it('knows which hosts only this machine can open', () => {
    for (const h of [
      'localhost',
      'LOCALHOST.',
      'app.localhost',
      '127.0.0.1',
      '127.1.2.3',
      '[::1]',
      '0.0.0.0',
    ])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of [
      '192.168.1.20',
      'clinic.test',
      '10.0.0.1',
      'localhost.example.com',
      '[fe80::1]',
    ])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('judges secure origins as browsers do: https, or loopback', () => {
    expect(describeUrl('https://clinic.example')).toEqual({ loopback: false, secure: true });
    expect(describeUrl('http://192.168.1.20:8080')).toEqual({ loopback: false, secure: false });
    expect(describeUrl('http://localhost:8080')).toEqual({ loopback: true, secure: true });
  });

  it('accepts only host[:port] as a Host header to echo into links', () => {
    for (const h of ['clinic.test:8080', '192.168.1.20', '[::1]:8080', 'a-b.example'])
      expect(isHostHeader(h), h).toBe(true);
    for (const h of ['evil.example/x', 'a b', 'user@host', '', 'host:port', '-bad.example'])
      expect(isHostHeader(h), h).toBe(false);
  });

  it('takes the scheme from a trusted proxy that keeps the Host header but ends TLS', () => {
    const req = { headers: { host: 'clinic.example', 'x-forwarded-proto': 'https' } };
    expect(publicAddress(req, { ...policy, trustProxy: true }).url).toBe('https://clinic.example');
    expect(publicAddress(req, policy).url).toBe('http://clinic.example');
  });

  it('prefers PUBLIC_URL, then trusted forwarded headers, then Host, then localhost', () => {
    const headers = {
      host: 'clinic.lan:8080',
      'x-forwarded-host': 'clinic.example',
      'x-forwarded-proto': 'https',
    };
    expect(publicAddress({ headers }, { ...policy, publicUrl: 'https://q.example' })).toMatchObject(
      {
        url: 'https://q.example',
        source: 'config',
      },
    );
    expect(publicAddress({ headers }, { ...policy, trustProxy: true })).toMatchObject({
      url: 'https://clinic.example',
      source: 'forwarded',
      secure: true,
    });
    expect(publicAddress({ headers }, policy)).toMatchObject({
      url: 'http://clinic.lan:8080',
      source: 'request',
    });
    expect(publicAddress({ headers }, { ...policy, tls: true }).url).toBe(
      'https://clinic.lan:8080',
    );
    expect(publicAddress(null, policy)).toMatchObject({
      url: 'http://localhost:8080',
      source: 'default',
      loopback: true,
    });
  });
});
