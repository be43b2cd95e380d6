/**
 * What a paired display keeps in localStorage, so a display that reloads
 * while the network is down still starts with its clinic, its join URL and
 * its clock: the device token (from pairing), the last
 * `/api/displays/self` answer, and (written by its ServerClock) the clock
 * offset. Ids read back from storage are parsed here, at the edge.
 */
import type { DisplaySelf, PairingStatus } from '../../../shared/api.js';
import { isClinicId, type ClinicId } from '../../../shared/ids.js';

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const DEVICE_KEY = 'queuemed.display.device';
const SELF_KEY = 'queuemed.display.self';
/** Where the display's ServerClock keeps its offset across reloads. */
export const DISPLAY_CLOCK_KEY = 'queuemed.display.clockOffset';

export interface DisplayDevice {
  readonly token: string;
  readonly clinicId: ClinicId;
  readonly displayId: string;
}

/** localStorage, or null where the browser refuses it (private mode, sandbox). */
export function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function readJson(storage: KeyValueStorage | null, key: string): unknown {
  try {
    const raw = storage?.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}
function writeJson(storage: KeyValueStorage | null, key: string, value: unknown): void {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the display still works until it reloads.
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The device a pairing answer names; null if its clinic id is not one. */
export function pairedDevice(
  status: Extract<PairingStatus, { status: 'paired' }>,
): DisplayDevice | null {
  return isClinicId(status.clinicId)
    ? { token: status.token, clinicId: status.clinicId, displayId: status.displayId }
    : null;
}

export function loadDevice(storage = browserStorage()): DisplayDevice | null {
  const d = readJson(storage, DEVICE_KEY);
  if (!isObject(d) || typeof d.token !== 'string' || !isClinicId(d.clinicId)) return null;
  return { token: d.token, clinicId: d.clinicId, displayId: String(d.displayId ?? '') };
}

/** Keeps the paired device; null forgets it and its join link (revoked). */
export function saveDevice(device: DisplayDevice | null, storage = browserStorage()): void {
  writeJson(storage, DEVICE_KEY, device);
  if (device === null) writeJson(storage, SELF_KEY, null);
}

export function loadSelf(storage = browserStorage()): DisplaySelf | null {
  const s = readJson(storage, SELF_KEY);
  return isObject(s) && typeof s.joinUrl === 'string' && typeof s.joinLinkVersion === 'number'
    ? (s as DisplaySelf)
    : null;
}

export const saveSelf = (self: DisplaySelf, storage = browserStorage()): void =>
  writeJson(storage, SELF_KEY, self);
