/** Public API of the board domain: pure, isomorphic, no I/O. See README.md and ../SPEC.md (B1–). */
export * from './errors.js';
export {
  BOARD_SCHEMA_VERSION,
  BOARD_ROOTS,
  BOARD_TEMPLATES,
  isBoardTemplate,
  boardRoots,
  voteKey,
  parseVoteKey,
  checkBoardSchema,
  seedBoardDoc,
  type BoardTemplate,
  type BoardRoots,
  type SeedBoardArgs,
} from './schema.js';
export {
  TEMPLATE_CONTENT,
  TEMPLATE_CONTENT_BY_LOCALE,
  templateContent,
  templateLocale,
} from './templates.js';
export { BOARD_LIMITS, isColor, isIsoDate } from './fields.js';
export { newItemId, isItemId, isUserId } from './ids.js';
export { compareOrdered, isOrderKey, type Ordered } from './order.js';
export { textDiff } from './text.js';
export * from './ops.js';
export * from './derive.js';
export * from './filter.js';
export { patientIdentifierHints, type IdentifierHint } from './privacy.js';
export * from './export.js';
