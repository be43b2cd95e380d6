/**
 * What a paired display keeps in localStorage, so a display that reloads
 * while the network is down still starts with its clinic, its join URL and
 * its clock: the device token (from pairing), the last
 * `/api/displays/self` answer, and (written by its ServerClock) the clock
 * offset. Ids read back from storage are parsed here, at the edge.
 */
import type { DisplaySelf, PairingStatus } from '../../../shared/api.js';
import { isClinicId, type ClinicId } from '../../../shared/ids.js';
import { browserStorage, readItem, writeItem, type KeyValueStorage } from './browser-storage.js';

const DEVICE_KEY = 'queuemed.display.device';
const SELF_KEY = 'queuemed.display.self';
/** Where the display's ServerClock keeps its offset across reloads. */
export const DISPLAY_CLOCK_KEY = 'queuemed.display.clockOffset';

export interface DisplayDevice {
  readonly token: string;
  readonly clinicId: ClinicId;
  readonly displayId: string;
}

function readJson(storage: KeyValueStorage | null, key: string): unknown {
  try {
    const raw = readItem(storage, key);
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}
/** JSON, or the key removed for null; a failed write lasts until the next reload. */
const writeJson = (storage: KeyValueStorage | null, key: string, value: unknown): void =>
  writeItem(storage, key, value === null ? null : JSON.stringify(value));

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
