export interface BatchOptions {
  /** At most this many items per batch. */
  readonly maxBatch: number;
  /**
   * `wait`: a batch starts `maxWaitMs` after its first item (or when full), for work that is due
   * at the same moment (deadlines falling together).
   * `demand`: a batch starts at once while fewer than `maxInFlight` batches run; items arriving
   * meanwhile form the next batch. Nothing waits when the system is idle, and batches grow
   * exactly when the system falls behind, which is when sharing a transaction pays.
   */
  readonly mode:
    | { readonly kind: 'wait'; readonly maxWaitMs: number }
    | { readonly kind: 'demand'; readonly maxInFlight: number };
}

interface Pending<T, R> {
  readonly item: T;
  readonly resolve: (r: R) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Gathers items into batches and answers each caller separately. A processor that runs dozens of
 * jobs at once can decide them in one transaction instead of dozens, which cuts the database
 * round trips per job several times over; `run` returns one result or Error per item, so one bad
 * item fails only its own job.
 */
export class MicroBatcher<T, R> {
  private pending: Pending<T, R>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<Map<T, R | Error>>,
    private readonly options: BatchOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      const mode = this.options.mode;
      if (mode.kind === 'demand') {
        if (this.inFlight < mode.maxInFlight) this.flush();
      } else if (this.pending.length >= this.options.maxBatch) {
        this.flush();
      } else {
        this.timer ??= setTimeout(() => this.flush(), mode.maxWaitMs);
      }
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending.slice(0, this.options.maxBatch);
    this.pending = this.pending.slice(batch.length);
    if (batch.length === 0) return;
    this.inFlight += 1;
    const items = [...new Set(batch.map((b) => b.item))];
    let running: Promise<Map<T, R | Error>>;
    try {
      running = this.run(items);
    } catch (error) {
      running = Promise.reject(error instanceof Error ? error : new Error('batch failed')); // as if it had failed later
    }
    running
      .then(
        (results) => {
          for (const b of batch) {
            const r = results.get(b.item);
            if (r === undefined) b.reject(new Error('no result for a batched item'));
            else if (r instanceof Error) b.reject(r);
            else b.resolve(r);
          }
        },
        (error: unknown) => {
          for (const b of batch) b.reject(error instanceof Error ? error : new Error('batch failed'));
        },
      )
      .catch((error: unknown) => {
        // Only a malformed result gets here; settling twice is a no-op for the items already answered.
        for (const b of batch) b.reject(error instanceof Error ? error : new Error('batch failed'));
      })
      .finally(() => {
        this.inFlight -= 1;
        // Demand mode: whatever arrived while this batch ran is the next batch.
        if (this.options.mode.kind === 'demand' && this.pending.length > 0) this.flush();
      });
  }
}

/**
 * Runs a batch; if it fails as a whole (a conflict, a statement one item breaks), runs each item
 * alone, so that one bad item fails only its own job and never holds up the others.
 */
export async function eachAloneIfBatchFails<T, R>(
  items: readonly T[],
  batch: (items: readonly T[]) => Promise<Map<T, R | Error>>,
): Promise<Map<T, R | Error>> {
  try {
    return await batch(items);
  } catch (error) {
    if (items.length === 1)
      return new Map([[items[0], error instanceof Error ? error : new Error('batch failed')]]);
    const results = new Map<T, R | Error>();
    for (const item of items)
      results.set(
        item,
        (await eachAloneIfBatchFails([item], batch)).get(item) ?? new Error('no result for a batched item'),
      );
    return results;
  }
}
