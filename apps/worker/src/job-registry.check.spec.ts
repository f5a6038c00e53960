import { ALL_JOB_NAMES, JobName, jobQueue, QueueName } from '@panah/queue';
import { JobProcessor } from './job-processor';
import { jobRegistryProblems } from './job-registry.check';

/** One processor per job, on its queue: the wiring the worker must have (whatever jobs exist). */
const complete = (): JobProcessor[] => ALL_JOB_NAMES.map((job) => ({ queue: jobQueue[job], handles: [job] }));

describe('jobRegistryProblems', () => {
  it('accepts a wiring where every job has exactly one processor on its queue', () => {
    expect(jobRegistryProblems(complete())).toEqual([]);
  });

  it('refuses a job without a processor', () => {
    const wiring = complete().filter((p) => !p.handles.includes(JobName.OutboxPrune));
    expect(jobRegistryProblems(wiring)).toEqual([`no processor handles ${JobName.OutboxPrune}`]);
  });

  it('refuses a job with two processors', () => {
    const p = { queue: QueueName.Maintenance, handles: [JobName.OutboxPrune] };
    expect(jobRegistryProblems([...complete(), p])).toEqual([`2 processors handle ${JobName.OutboxPrune}`]);
  });
});
