/**
 * The display device's credential and HTTP calls: pairing (no credential),
 * then `/api/displays/self` with the device token. The token and the last
 * answers are kept in localStorage so a display that reloads while the
 * network is down still starts with its clinic, join URL and clock offset.
 */
import { clockOffset } from '../../../../shared/queue/index.js';
import type { DisplaySelf, PairingStart, PairingStatus } from '../../../../shared/api.js';

const DEVICE_KEY = 'queuemed.display.device';
const SELF_KEY = 'queuemed.display.self';
const OFFSET_KEY = 'queuemed.display.clockOffset';

export interface DisplayDevice {
  readonly token: string;
  readonly clinicId: string;
  readonly displayId: string;
}

function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}
function writeJson(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the display still works until it reloads.
  }
}

export function loadDevice(): DisplayDevice | null {
  const d = readJson<Partial<DisplayDevice>>(DEVICE_KEY);
  return d && typeof d.token === 'string' && typeof d.clinicId === 'string'
    ? { token: d.token, clinicId: d.clinicId, displayId: String(d.displayId ?? '') }
    : null;
}
export const saveDevice = (device: DisplayDevice | null): void => {
  writeJson(DEVICE_KEY, device);
  if (device === null) writeJson(SELF_KEY, null);
};
export const loadSelf = (): DisplaySelf | null => readJson<DisplaySelf>(SELF_KEY);
export const loadClockOffset = (): number => readJson<number>(OFFSET_KEY) ?? 0;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(
  path: string,
  init: RequestInit = {},
): Promise<{ body: T; res: Response }> {
  const res = await fetch(path, {
    ...init,
    headers: { accept: 'application/json', ...init.headers },
    cache: 'no-store',
  });
  if (!res.ok) {
    let code = String(res.status);
    let message = res.statusText;
    try {
      const err = (await res.json()) as { error?: { code?: string; message?: string } };
      code = err.error?.code ?? code;
      message = err.error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new HttpError(res.status, code, message);
  }
  return { body: (await res.json()) as T, res };
}

export async function startPairing(): Promise<PairingStart> {
  return (await request<PairingStart>('/api/displays/pairing', { method: 'POST' })).body;
}

export async function pollPairing(pairingId: string): Promise<PairingStatus> {
  return (await request<PairingStatus>(`/api/displays/pairing/${encodeURIComponent(pairingId)}`))
    .body;
}

/** Fetches the display's own settings; also measures the clock offset from the Date header. */
export async function fetchSelf(token: string): Promise<DisplaySelf> {
  const sentAt = Date.now();
  const { body, res } = await request<DisplaySelf>('/api/displays/self', {
    headers: { authorization: `Bearer ${token}` },
  });
  const receivedAt = Date.now();
  const date = Date.parse(res.headers.get('date') ?? '');
  // The Date header has 1 s resolution: good enough to tell a late call from a fresh one.
  if (Number.isFinite(date))
    writeJson(OFFSET_KEY, clockOffset({ sentAt, serverTime: date + 500, receivedAt }));
  writeJson(SELF_KEY, body);
  return body;
}
