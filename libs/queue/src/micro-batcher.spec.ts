import { eachAloneIfBatchFails, MicroBatcher } from './micro-batcher';

/** A run function that records its batches and completes only when told to. */
function gatedRun() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const run = (items: number[]) =>
    new Promise<Map<number, number>>((resolve) => {
      batches.push(items);
      gates.push(() => resolve(new Map(items.map((i) => [i, i * 10]))));
    });
  return { batches, run, release: (n: number) => gates[n]() };
}

describe('MicroBatcher', () => {
  describe('wait mode', () => {
    it('hands items that arrive together over as one batch and answers each caller', async () => {
      const batches: number[][] = [];
      const b = new MicroBatcher<number, number>(
        async (items) => {
          batches.push(items);
          return new Map(items.map((i) => [i, i * 10]));
        },
        { maxBatch: 3, mode: { kind: 'wait', maxWaitMs: 5 } },
      );
      const answers = await Promise.all([1, 2, 3, 4].map((i) => b.submit(i)));
      expect(answers).toEqual([10, 20, 30, 40]);
      expect(batches).toEqual([[1, 2, 3], [4]]);
    });

    it('fails only the item whose result is an error', async () => {
      const b = new MicroBatcher<string, string>(
        async (items) => new Map(items.map((i) => [i, i === 'bad' ? new Error('poison') : i])),
        {
          maxBatch: 10,
          mode: { kind: 'wait', maxWaitMs: 1 },
        },
      );
      const [good, bad] = await Promise.allSettled([b.submit('good'), b.submit('bad')]);
      expect(good).toEqual({ status: 'fulfilled', value: 'good' });
      expect(bad.status).toBe('rejected');
    });
  });

  describe('demand mode', () => {
    it('starts a lone item at once, and batches what arrives while the batches in flight run', async () => {
      const { batches, run, release } = gatedRun();
      const b = new MicroBatcher<number, number>(run, {
        maxBatch: 3,
        mode: { kind: 'demand', maxInFlight: 1 },
      });
      const first = b.submit(1);
      expect(batches).toEqual([[1]]); // nothing waits while the system is idle
      const rest = [2, 3, 4, 5].map((i) => b.submit(i));
      expect(batches).toHaveLength(1);
      release(0);
      await expect(first).resolves.toBe(10);
      await new Promise((r) => setImmediate(r));
      expect(batches[1]).toEqual([2, 3, 4]); // capped at maxBatch
      release(1);
      await new Promise((r) => setImmediate(r));
      expect(batches[2]).toEqual([5]);
      release(2);
      await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40, 50]);
    });

    it('runs up to maxInFlight batches at once', () => {
      const { batches, run } = gatedRun();
      const b = new MicroBatcher<number, number>(run, {
        maxBatch: 10,
        mode: { kind: 'demand', maxInFlight: 2 },
      });
      for (const i of [1, 2, 3, 4]) void b.submit(i);
      expect(batches).toEqual([[1], [2]]);
    });

    it('survives a run that throws at once: its callers are rejected and the next batch still starts', async () => {
      let calls = 0;
      const b = new MicroBatcher<number, number>(
        (items) => {
          calls += 1;
          if (calls === 1) throw new Error('synchronous failure');
          return Promise.resolve(new Map(items.map((i) => [i, i])));
        },
        { maxBatch: 10, mode: { kind: 'demand', maxInFlight: 1 } },
      );
      await expect(b.submit(1)).rejects.toThrow('synchronous failure');
      await expect(b.submit(2)).resolves.toBe(2); // no batch slot was leaked
    });

    it('answers every caller of an item submitted twice', async () => {
      const { batches, run, release } = gatedRun();
      const b = new MicroBatcher<number, number>(run, {
        maxBatch: 10,
        mode: { kind: 'demand', maxInFlight: 1 },
      });
      const lone = b.submit(1);
      const twice = [b.submit(7), b.submit(7)];
      release(0);
      await lone;
      await new Promise((r) => setImmediate(r));
      expect(batches[1]).toEqual([7]);
      release(1);
      await expect(Promise.all(twice)).resolves.toEqual([70, 70]);
    });

    it('rejects every item of a batch whose run throws, and goes on with the next batch', async () => {
      let calls = 0;
      const b = new MicroBatcher<number, number>(
        async (items) => {
          calls += 1;
          if (calls === 1) throw new Error('database down');
          return new Map(items.map((i) => [i, i]));
        },
        { maxBatch: 10, mode: { kind: 'demand', maxInFlight: 1 } },
      );
      const failed = b.submit(1);
      const next = b.submit(2);
      await expect(failed).rejects.toThrow('database down');
      await expect(next).resolves.toBe(2);
    });
  });

  describe('eachAloneIfBatchFails', () => {
    it('keeps the batch result when the batch succeeds', async () => {
      const calls: number[][] = [];
      const results = await eachAloneIfBatchFails([1, 2], async (items) => {
        calls.push([...items]);
        return new Map(items.map((i) => [i, i * 10]));
      });
      expect([...results]).toEqual([
        [1, 10],
        [2, 20],
      ]);
      expect(calls).toEqual([[1, 2]]);
    });

    it('when the batch fails as a whole, runs each item alone, so only the bad one fails', async () => {
      const calls: number[][] = [];
      const results = await eachAloneIfBatchFails([1, 2, 3], async (items) => {
        calls.push([...items]);
        if (items.includes(2)) throw new Error('item 2 breaks the statement');
        return new Map(items.map((i) => [i, i * 10]));
      });
      expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
      expect(results.get(1)).toBe(10);
      expect(results.get(2)).toEqual(new Error('item 2 breaks the statement'));
      expect(results.get(3)).toBe(30);
    });
  });
});
