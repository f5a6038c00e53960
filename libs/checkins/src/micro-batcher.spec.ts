import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('hands items that arrive together over as one batch and answers each caller', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      return new Map(items.map((i) => [i, i * 10]));
    }, 3, 5);
    const answers = await Promise.all([1, 2, 3, 4].map((i) => b.submit(i)));
    expect(answers).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('fails only the item whose result is an error', async () => {
    const b = new MicroBatcher<string, string>(async (items) => new Map(items.map((i) => [i, i === 'bad' ? new Error('poison') : i])), 10, 1);
    const [good, bad] = await Promise.allSettled([b.submit('good'), b.submit('bad')]);
    expect(good).toEqual({ status: 'fulfilled', value: 'good' });
    expect(bad.status).toBe('rejected');
  });
});
