import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One escalation per case. PostgreSQL holds the truth; BullMQ only holds wake-ups. `fence` grows
 * on every out-of-band change (ack, snooze, resolve, restart) so a wake-up scheduled before it
 * finds a different token and does nothing.
 */
@Entity('escalation_runs')
@Index('escalation_runs_case_uq', ['caseId'], { unique: true })
@Index('escalation_runs_due_idx', ['nextStepAt'], {
  where: `state IN ('active', 'snoozed', 'acknowledged') AND next_step_at IS NOT NULL`,
})
export class EscalationRun {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @Column({ type: 'uuid' })
  policyId!: string;

  @Column({ type: 'integer' })
  policyVersion!: number;

  @Column({ type: 'text' })
  severity!: string;

  @Column({ type: 'uuid', nullable: true })
  teamId!: string | null;

  @Column({ type: 'text' })
  shortRef!: string;

  /** active | acknowledged | resolved | exhausted | snoozed */
  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'integer' })
  step!: number;

  @Column({ type: 'integer' })
  round!: number;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  repeats!: Record<string, number>;

  @Column({ type: 'integer', default: 0 })
  fence!: number;

  /** When the pending step (or snooze end, or ack timeout) is due; null when nothing is pending. */
  @Column({ type: 'timestamptz', nullable: true })
  nextStepAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  overdueAt!: Date | null;

  /** The case version of the last signal the engine handled (see Case.signalVersion). */
  @Column({ type: 'integer', nullable: true })
  signalVersion!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  sweptAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  sweeps!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** What happened to a run, in order (visible to supervisors; ids and kinds only). */
@Entity('escalation_run_events')
@Index('escalation_run_events_run_idx', ['runId', 'id'])
export class EscalationRunEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  /** started | step | acknowledged | snoozed | resumed | reactivated | restarted | resolved | exhausted | overdue */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'integer', nullable: true })
  step!: number | null;

  @Column({ type: 'integer', nullable: true })
  round!: number | null;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** Lateness of a step in ms, the snooze length, the old severity: numbers and enums only. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  details!: Record<string, unknown>;
}

/** A one-click acknowledgement link sent to one recipient; only the token's keyed digest is stored. */
@Entity('escalation_ack_links')
@Index('escalation_ack_links_run_idx', ['runId'])
export class EscalationAckLink {
  @PrimaryColumn({ type: 'text' })
  tokenDigest!: string;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'uuid' })
  recipientId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
