import type { DocName } from '../../shared/ids.js';

/** A DocStore was used after `close()`. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
  constructor() {
    super('document store is closed');
  }
}

/** `compact()` was asked to cover updates that were never appended (or a bad seq). */
export class CompactionRangeError extends Error {
  override readonly name = 'CompactionRangeError';
  constructor(
    readonly doc: DocName,
    readonly throughSeq: number,
    readonly lastSeq: number,
  ) {
    super(
      `cannot compact ${doc} through seq ${throughSeq}: ` +
        (Number.isSafeInteger(throughSeq) && throughSeq >= 0
          ? `the last appended seq is ${lastSeq}`
          : 'throughSeq must be a non-negative integer'),
    );
  }
}
