import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { ALL_QUEUE_NAMES } from '@panah/queue';

/**
 * Every queue BullModule registers gets an error listener. Without one, each reconnect attempt
 * during a Redis outage reached BullMQ's fallback `console.error` with a stack trace: about ten
 * queues, several attempts a second, a flood of lines saying the same thing. Outages are reported
 * by readiness and by one line from the relay and the processors instead.
 */
@Injectable()
export class QuietQueues implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of ALL_QUEUE_NAMES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', () => undefined);
    }
  }
}
