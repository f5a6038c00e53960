import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Reporter } from '../intake/reporter.entity';

/**
 * A reporter's promise to check in (issue 8), at most one per reporter. The deadline engine works
 * from these columns alone: a delayed job per deadline, and a sweeper that finds any plan whose
 * `alert_at` has passed (so a deadline survives a Redis that lost its jobs). No location, ever.
 */
@Entity('checkin_plans')
@Index('checkin_plans_alert_idx', ['alertAt'])
@Index('checkin_plans_deadline_idx', ['nextDeadline'])
@Index('checkin_plans_reminder_idx', ['nextReminderAt'], { where: 'next_reminder_at IS NOT NULL' })
export class CheckinPlan {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('checkin_plans_reporter_key', { unique: true })
  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'checkin_plans_reporter_fk' })
  reporter?: Reporter;

  /** The validated CheckinPlanSpec (schedule, grace, reminders, max pause, miss severity). */
  @Column({ type: 'jsonb' })
  spec!: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  nextDeadline!: Date;

  /** nextDeadline + grace: when silence becomes an alert. */
  @Column({ type: 'timestamptz' })
  alertAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  nextReminderAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  pausedUntil!: Date | null;

  /** Set by the first unanswered alert, cleared by a check-in. */
  @Column({ type: 'timestamptz', nullable: true })
  missedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastCheckinAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
