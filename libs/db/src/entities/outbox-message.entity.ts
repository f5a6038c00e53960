import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job announced in the same transaction as the state change that causes it (transactional
 * outbox, guarantee G3). The worker's OutboxRelay moves pending rows to BullMQ and stamps
 * `relayedAt`. `payload` carries ids only, never report content or hints.
 */
@Entity('outbox')
@Index('outbox_pending_idx', ['id'], { where: 'relayed_at IS NULL' })
@Index('outbox_relayed_at_idx', ['relayedAt'], { where: 'relayed_at IS NOT NULL' })
export class OutboxMessage {
  /** bigint comes back from pg as a string, which keeps it exact. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  jobName!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** BullMQ job id; derived from the entity so a repeated announcement collapses into one job. */
  @Column({ type: 'text', nullable: true })
  jobId!: string | null;

  /** The job must not run before this time (delayed jobs: escalation steps, check-in deadlines). */
  @Column({ type: 'timestamptz', nullable: true })
  notBefore!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  relayedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  relayAttempts!: number;
}
