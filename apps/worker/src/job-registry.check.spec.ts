import { JobName, QueueName } from '@panah/queue';
import { jobRegistryProblems } from './job-registry.check';

describe('jobRegistryProblems', () => {
  it('accepts a wiring where every job has exactly one processor on its queue', () => {
    expect(jobRegistryProblems([{ queue: QueueName.Maintenance, handles: [JobName.OutboxPrune] }])).toEqual([]);
  });

  it('refuses a job without a processor', () => {
    expect(jobRegistryProblems([])).toEqual([`no processor handles ${JobName.OutboxPrune}`]);
  });

  it('refuses a job with two processors', () => {
    const p = { queue: QueueName.Maintenance, handles: [JobName.OutboxPrune] };
    expect(jobRegistryProblems([p, p])).toEqual([`2 processors handle ${JobName.OutboxPrune}`]);
  });
});
