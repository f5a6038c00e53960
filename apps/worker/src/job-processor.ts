import type { JobName, QueueName } from '@panah/queue';

/**
 * Every BullMQ processor class in the worker declares the queue it consumes and the job names it
 * handles; JobRegistryCheck refuses to boot unless each job name has exactly one handler.
 */
export interface JobProcessor {
  readonly queue: QueueName;
  readonly handles: readonly JobName[];
}

export function isJobProcessor(value: unknown): value is JobProcessor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as JobProcessor).queue === 'string' &&
    Array.isArray((value as JobProcessor).handles)
  );
}
