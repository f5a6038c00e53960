/**
 * Gathers items that arrive within a few milliseconds of each other and hands them over as one
 * batch, answering each caller separately. The deadline processor runs dozens of jobs at once;
 * deciding their plans in one transaction instead of dozens cuts the database round trips per
 * alert roughly in half, which is what keeps alerts on time when many deadlines fall together.
 */
export class MicroBatcher<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: Error) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly run: (items: T[]) => Promise<Map<T, R | Error>>,
    private readonly maxBatch: number,
    private readonly maxWaitMs: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.run([...new Set(batch.map((b) => b.item))]).then(
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
    );
  }
}
