import { Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay';
import { ProducerQueues } from './producer-queues';

/** Producer-side queues: enqueueing and inspecting jobs (API metrics, the relay). */
@Module({ providers: [ProducerQueues], exports: [ProducerQueues] })
export class ProducerQueuesModule {}

/** The outbox relay; imported by the worker only. */
@Module({ imports: [ProducerQueuesModule], providers: [OutboxRelay], exports: [OutboxRelay] })
export class OutboxRelayModule {}
