import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Reporter } from '../intake/reporter.entity';
import { Case } from '../triage/case.entity';

/** A panic press. Presses within the panic window of the last one are repeats of one emergency. */
@Entity('panic_events')
@Index('panic_events_reporter_idx', ['reporterId', 'pressedAt'])
export class PanicEvent {
  /** Chosen by the client, so a retried request is one press. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'panic_events_reporter_fk' })
  reporter?: Reporter;

  @Column({ type: 'timestamptz' })
  pressedAt!: Date;

  /** True when it fell inside the window of an earlier press (no new case signal). */
  @Column({ type: 'boolean' })
  repeat!: boolean;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;
}

/**
 * A duress sign-in that has been turned into a case. Keyed by the session, so the API's
 * immediate handling and the worker's catch-up sweep can never raise the same sign-in twice.
 */
@Entity('duress_alerts')
export class DuressAlert {
  @PrimaryColumn({ type: 'uuid' })
  sessionId!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'duress_alerts_reporter_fk' })
  reporter?: Reporter;

  @Column({ type: 'uuid' })
  caseId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * What happened to a reporter's safety, on their case: a missed check-in, a check-in after the
 * alert, a panic press, a duress sign-in or duress check-in. Times and kinds only; it is how a
 * late check-in is "recorded on the case" without ever closing it.
 */
@Entity('case_safety_events')
@Index('case_safety_events_case_idx', ['caseId', 'occurredAt'])
@Check(
  'case_safety_events_kind_check',
  `kind IN ('missed_checkin', 'checked_in_after_alert', 'panic', 'duress_signin', 'duress_checkin')`,
)
export class CaseSafetyEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_safety_events_case_fk' })
  case?: Case;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;
}

/**
 * A check-in reminder waiting in the reporter's session inbox. It says only that a deadline is
 * near and when it is: there is no push channel to a reporter, and nothing here is sensitive
 * beyond the plan's own times.
 */
@Entity('checkin_reminders')
@Index('checkin_reminders_reporter_idx', ['reporterId', 'remindAt', 'id'])
@Index('checkin_reminders_once', ['planId', 'remindAt'], { unique: true })
export class CheckinReminder {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'checkin_reminders_reporter_fk' })
  reporter?: Reporter;

  @Column({ type: 'uuid' })
  planId!: string;

  @Column({ type: 'timestamptz' })
  deadline!: Date;

  @Column({ type: 'timestamptz' })
  remindAt!: Date;
}

/** The duress setting the reporter chose at registration: may a duress session see real reports? */
@Entity('reporter_duress_settings')
export class ReporterDuressSetting {
  @PrimaryColumn({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'reporter_duress_settings_reporter_fk' })
  reporter?: Reporter;

  /** False (the default): a duress session sees an account with no reports and no messages. */
  @Column({ type: 'boolean', default: false })
  showReports!: boolean;
}
