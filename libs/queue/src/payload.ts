import { UnrecoverableError } from 'bullmq';
import { isJobName, JobName, JobPayload, jobPayloadSchemas } from './jobs';

/**
 * Re-validates a job's data as it comes out of Redis (which is not trusted). Bad data can never
 * succeed on a retry, so it fails the job for good with UnrecoverableError.
 */
export function parseJobPayload<J extends JobName>(name: J, data: unknown): JobPayload<J>;
export function parseJobPayload(name: string, data: unknown): JobPayload<JobName>;
export function parseJobPayload(name: string, data: unknown): JobPayload<JobName> {
  if (!isJobName(name)) throw new UnrecoverableError(`unknown job name "${name}"`);
  const parsed = jobPayloadSchemas[name].safeParse(data);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new UnrecoverableError(`invalid payload for ${name} at ${paths}`);
  }
  return parsed.data;
}
