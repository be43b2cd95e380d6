/**
 * Which of a doc's stored seqs a process has applied to its in-memory copy.
 *
 * Several processes can append to one doc (they share the database), so the
 * seqs one process gets back from its own appends have holes: another
 * process owns the seqs in between. A snapshot of the in-memory doc contains
 * every update only through `through`, the end of the contiguous prefix —
 * that, not the highest seq appended, is how far a compaction may delete.
 * `hasGap` says that someone else wrote: load the tail (`loadSince`).
 */
export class AppliedSeqs {
  #through: number;
  /** Applied seqs above `through` (not contiguous with it). */
  readonly #above = new Set<number>();

  constructor(through: number) {
    if (!Number.isSafeInteger(through) || through < 0) {
      throw new RangeError(`applied seqs must start at a non-negative integer, got ${through}`);
    }
    this.#through = through;
  }

  /** Every seq up to and including this one has been applied. */
  get through(): number {
    return this.#through;
  }

  /** Some seq below an applied one is missing: another writer appended it. */
  get hasGap(): boolean {
    return this.#above.size > 0;
  }

  /** The highest seq applied (for metrics and logs). */
  get highest(): number {
    let max = this.#through;
    for (const s of this.#above) if (s > max) max = s;
    return max;
  }

  /** Records one applied seq (one of our own appends). */
  add(seq: number): void {
    if (seq <= this.#through) return;
    this.#above.add(seq);
    this.#absorb();
  }

  /** Records that every seq through `seq` is applied (a tail loaded from the store). */
  advanceTo(seq: number): void {
    if (seq <= this.#through) return;
    this.#through = seq;
    for (const s of this.#above) if (s <= seq) this.#above.delete(s);
    this.#absorb();
  }

  #absorb(): void {
    while (this.#above.delete(this.#through + 1)) this.#through++;
  }
}
