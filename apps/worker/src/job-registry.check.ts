import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ALL_JOB_NAMES, JobName, jobQueue } from '@panah/queue';
import { isJobProcessor, JobProcessor } from './job-processor';

/** Problems with the job → processor wiring; empty when every job has exactly one handler. */
export function jobRegistryProblems(processors: readonly JobProcessor[]): string[] {
  const problems: string[] = [];
  const owners = new Map<JobName, number>();
  for (const p of processors) {
    for (const job of p.handles) {
      owners.set(job, (owners.get(job) ?? 0) + 1);
      if (jobQueue[job] !== p.queue)
        problems.push(`${job} runs on queue ${jobQueue[job]} but is handled on ${p.queue}`);
    }
  }
  for (const job of ALL_JOB_NAMES) {
    const n = owners.get(job) ?? 0;
    if (n === 0) problems.push(`no processor handles ${job}`);
    if (n > 1) problems.push(`${n} processors handle ${job}`);
  }
  return problems;
}

/** Refuses to boot the worker if any job would be left without a processor, or have two. */
@Injectable()
export class JobRegistryCheck implements OnApplicationBootstrap {
  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const processors = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter(isJobProcessor);
    const problems = jobRegistryProblems(processors);
    if (problems.length > 0) throw new Error(`job registry: ${problems.join('; ')}`);
  }
}
