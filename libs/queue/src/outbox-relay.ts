import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { ALL_JOB_NAMES, isJobName, jobOptions, jobQueue, QueueName } from './jobs';
import { outboxJobId } from './outbox';
import { claimPendingOutbox, listenForOutbox, markOutboxRelayed } from './outbox.repository';
import { ProducerQueues } from './producer-queues';
import { withTimeout } from './timeout';

const REDIS_TIMEOUT_MS = 5_000;

/**
 * Moves outbox rows to BullMQ. Woken by LISTEN/NOTIFY the moment a writer commits, with a
 * polling fallback. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of workers may
 * relay at once without relaying a row twice; a row is stamped `relayed_at` only in the
 * transaction that saw BullMQ accept it, so while Redis is down rows simply wait.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private listener: Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** While PostgreSQL or Redis is unreachable: when the outage began, the next try, how many failed. */
  private outageSince = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Failed drains so far (for tests and metrics): while Redis is down, one per back-off, not per commit. */
  failedAttempts = 0;
  private failuresInOutage = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: ProducerQueues,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    void this.listen();
    this.schedulePoll();
    this.wake();
  }

  /** SIGTERM: stop relaying (rows committed from now on wait for the next worker) before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.onApplicationShutdown();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  /** Starts a drain now, or right after the one in progress; during an outage, at the next back-off. */
  wake(): void {
    if (this.stopped || this.retryTimer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  /**
   * Relays until the outbox is empty or Redis refuses; never throws. While PostgreSQL or Redis is
   * unreachable, it tries again after a back-off growing to 5 s (every commit's NOTIFY and every
   * poll are ignored meanwhile): one log line when the outage begins, one when it ends.
   */
  private async drain(): Promise<void> {
    try {
      while (!this.stopped) {
        const relayed = await this.relayBatch();
        if (relayed.length < this.config.outbox.batchSize) break;
      }
      if (this.outageSince) {
        this.logger.warn(
          { outageMs: Date.now() - this.outageSince, failedAttempts: this.failuresInOutage },
          'outbox relay resumed',
        );
        this.outageSince = 0;
        this.failuresInOutage = 0;
      }
    } catch (error) {
      this.failedAttempts += 1;
      this.failuresInOutage += 1;
      if (!this.outageSince) {
        this.outageSince = Date.now();
        // Expected while Redis or PostgreSQL is down: rows stay pending and are relayed once it is back.
        this.logger.warn({ err: describe(error) }, 'outbox relay paused; rows stay pending');
      }
      if (!this.stopped) {
        const backoff = Math.min(5_000, 250 * 2 ** Math.min(this.failuresInOutage, 5));
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.wake();
        }, backoff);
        this.retryTimer.unref();
      }
      this.again = false;
    }
  }

  /**
   * Claims one batch, hands it to BullMQ and marks it relayed, in one transaction.
   * Returns the relayed row ids (exposed for tests and the relay benchmark).
   */
  async relayBatch(): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await claimPendingOutbox(manager, this.config.outbox.batchSize, ALL_JOB_NAMES);
      if (rows.length === 0) return [];
      const now = Date.now();
      const byQueue = new Map<QueueName, Parameters<ReturnType<ProducerQueues['get']>['addBulk']>[0]>();
      for (const row of rows) {
        if (!isJobName(row.job_name)) continue; // filtered in SQL; keeps the type narrow
        const queue = jobQueue[row.job_name];
        const list = byQueue.get(queue) ?? [];
        list.push({
          name: row.job_name,
          data: row.payload,
          opts: {
            ...jobOptions[row.job_name],
            jobId: outboxJobId({ id: String(row.id), jobId: row.job_id }),
            delay: row.not_before ? Math.max(0, new Date(row.not_before).getTime() - now) : undefined,
          },
        });
        byQueue.set(queue, list);
      }
      // If Redis fails here the transaction rolls back; jobs that did get in are collapsed by
      // their jobId when the rows are relayed again.
      // Bounded: BullMQ waits for a first connection, and row locks must not be held meanwhile.
      for (const [queue, jobs] of byQueue)
        await withTimeout(this.queues.get(queue).addBulk(jobs), REDIS_TIMEOUT_MS, 'Redis');
      const ids = rows.map((r) => String(r.id));
      await markOutboxRelayed(manager, ids);
      return ids;
    });
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.wake();
      this.schedulePoll();
    }, this.config.outbox.pollMs);
    this.pollTimer.unref();
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.config.db.url,
      application_name: 'panah-outbox-listener',
    });
    const retry = (): void => {
      if (this.listener === client) this.listener = null;
      client.removeAllListeners();
      void client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen(), 1_000).unref();
    };
    client.on('notification', () => this.wake());
    client.on('error', retry);
    client.on('end', () => {
      if (this.listener === client) retry();
    });
    try {
      await client.connect();
      await listenForOutbox(client);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.listener = client;
      this.wake(); // catch up on anything committed while we were not listening
    } catch {
      retry();
    }
  }
}

/** Name and code only: a database error's message can quote row values. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} (${code})` : error.name;
}
