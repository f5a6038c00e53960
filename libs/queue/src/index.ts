export * from './jobs';
export { parseJobPayload } from './payload';
export { redisOptions, createRedis, assertNoEviction, RedisPolicyError, type RedisRole } from './redis';
export {
  enqueueInTransaction,
  enqueueMessage,
  outboxJobId,
  outboxRowValues,
  type OutboxOptions,
} from './outbox';
export { ProducerQueues } from './producer-queues';
export { OutboxRelay } from './outbox-relay';
export { ProducerQueuesModule, OutboxRelayModule } from './queue.module';
export { RedisPolicyCheck } from './redis-policy.check';
export { withTimeout } from './timeout';
export { eachAloneIfBatchFails, MicroBatcher, type BatchOptions } from './micro-batcher';
export { pruneRelayedOutbox, outboxBacklog, OUTBOX_CHANNEL } from './outbox.repository';
