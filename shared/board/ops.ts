/** Every board operation: `(doc, args, ctx) → BoardResult`, one transaction each (B2). */
export type { BoardOpContext } from './op-context.js';
export * from './column-ops.js';
export * from './card-ops.js';
export * from './checklist-ops.js';
export * from './social-ops.js';
