/** Public API of the queue domain: pure, isomorphic, no I/O. See README.md and ../SPEC.md. */
export * from './types.js';
export * from './origins.js';
export * from './errors.js';
export {
  SCHEMA_VERSION,
  QUEUE_ROOTS,
  DEFAULT_SERVICE_ID,
  DEFAULT_SERVICE_MINUTES,
  defaultService,
  seedQueueDoc,
  applyClinicSettings,
  readClinic,
  readServices,
  readRooms,
  findService,
  checkSchema,
  isServiceId,
  isRoomId,
  isPrefix,
  parseServiceId,
  parseRoomId,
} from './schema.js';
export {
  STAFF_ROOTS,
  seedStaffDoc,
  staffSchemaVersion,
  readPatient,
  patientNotes,
  patientIds,
  type PatientInput,
} from '../staff/doc.js';
export { newEntryId, isEntryId, parseEntryId, cryptoRandomBytes } from './entry-id.js';
export {
  DEFAULT_TIMEZONE,
  DEFAULT_RESET_TIME,
  clinicDay,
  addDays,
  isDay,
  parseDay,
  parseResetTime,
  isValidTimezone,
  localParts,
  clockOffset,
  correctedNow,
} from './day.js';
export { keyBetween, compareQueueOrder, isOrderKey } from './order.js';
export { getEntry, entriesOfDay, allEntries, compareClaims, winningClaim } from './entries.js';
export {
  grantNumberBlock,
  readGrants,
  nextTicketNumber,
  remainingNumbers,
  reserveNumbers,
  releaseNumbers,
  assignDeviceTag,
  deviceTag,
  deviceTagAt,
  isDeviceTag,
  issueLabel,
  formatLabel,
  MAX_RESERVE,
  type Withheld,
  isDayArchived,
  isDeviceId,
  MAX_BLOCK_SIZE,
  type GrantArgs,
  type IssuedLabel,
} from './numbering.js';
export * from './ops.js';
export * from './call-ops.js';
export * from './config-ops.js';
export * from './patient-ops.js';
export { archiveDay, finishedDays, archivedDays } from './archive.js';
export { readJoinLinkVersion, setJoinLinkVersion } from './join-link-version.js';
export * from './derive.js';
