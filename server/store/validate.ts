import type { DocName } from '../../shared/ids.js';
import type { AppendItem } from './types.js';
import { CompactionRangeError } from './errors.js';

/** Argument checks shared by every DocStore, so they all fail the same way. */
export function checkAppendItems(items: readonly AppendItem[]): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (typeof item.doc !== 'string' || item.doc.length === 0) {
      throw new TypeError(`appendMany: item ${i} has no doc name`);
    }
    if (!(item.update instanceof Uint8Array)) {
      throw new TypeError(`appendMany: item ${i} (${item.doc}) update is not a Uint8Array`);
    }
  }
}

export function checkCompaction(doc: DocName, snapshot: Uint8Array, throughSeq: number): void {
  if (!(snapshot instanceof Uint8Array)) {
    throw new TypeError(`compact: snapshot of ${doc} is not a Uint8Array`);
  }
  if (!Number.isSafeInteger(throughSeq) || throughSeq < 0) {
    throw new CompactionRangeError(doc, throughSeq, NaN);
  }
}

export function checkAfterSeq(doc: DocName, afterSeq: number): void {
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
    throw new RangeError(
      `loadSince: seq of ${doc} must be a non-negative integer, got ${afterSeq}`,
    );
  }
}
