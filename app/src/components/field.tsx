/** Moved to the design system: ui/Field.tsx. Kept for the screens not yet importing it from there. */
export { Field, TextField } from '../ui/Field.js';
