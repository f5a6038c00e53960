import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Staff } from '../identity/staff.entity';
import { Team } from '../identity/team.entity';
import { Reporter } from '../intake/reporter.entity';

/**
 * A case: what staff act on. Opened by triage, and later by missed check-ins, panic signals and
 * duress sign-ins (all through CaseService.openOrRaise). At most one unresolved case per
 * reporter: every new signal from the same reporter folds into it and can only raise it.
 */
@Entity('cases')
@Index('cases_one_open_per_reporter', ['reporterId'], { unique: true, where: `state <> 'resolved'` })
@Index('cases_list_idx', ['state', 'deadlineAt', 'id'])
@Index('cases_team_idx', ['teamId', 'state', 'deadlineAt', 'id'])
@Index('cases_assignee_idx', ['assigneeId', 'state', 'deadlineAt', 'id'])
@Index('cases_resolved_by_reporter_idx', ['reporterId', 'resolvedAt'], { where: `state = 'resolved'` })
@Check('cases_state_check', `state IN ('open', 'acknowledged', 'resolved')`)
@Check('cases_severity_check', `severity IN ('low', 'medium', 'high', 'critical')`)
export class Case {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'cases_reporter_fk' })
  reporter?: Reporter;

  @Column({ type: 'text', default: 'open' })
  state!: string;

  @Column({ type: 'text' })
  severity!: string;

  /** Null only when no team exists to route to (a fresh deployment); shown to supervisors. */
  @Column({ type: 'uuid', nullable: true })
  teamId!: string | null;

  @ManyToOne(() => Team, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'cases_team_fk' })
  team?: Team;

  /** The staff member the case is assigned to (CaseRepository.assign); null until someone is. */
  @Column({ type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'cases_assignee_fk' })
  assignee?: Staff;

  /** Escalation policy; null until escalation policies exist or when the rule names none. */
  @Column({ type: 'uuid', nullable: true })
  policyId!: string | null;

  /** When the case must have been acknowledged. */
  @Column({ type: 'timestamptz' })
  deadlineAt!: Date;

  /** Reason codes (`report`, `repeat_report`, `triage_failed`, …), never content. */
  @Column({ type: 'text', array: true })
  reasons!: string[];

  /** Which rule decided, for the record: `{ruleSetVersion, rule, routedBy}`. */
  @Column({ type: 'jsonb', nullable: true })
  triage!: Record<string, unknown> | null;

  /** Bumped on every change; case.updated jobs carry it so each change is one job. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  openedAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * When the case last became open and unacknowledged: its opening, a reopening by a critical
   * signal, or a signal taking the acknowledgement back. What
   * `panah_cases_oldest_unacknowledged_seconds` counts from (not `openedAt`).
   */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  unacknowledgedSince!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /**
   * The last signal that raised or reopened the case (`panic`, `duress`, `missed_checkin`,
   * `report`) and the version it wrote: the durable trace of its case.updated event, which the
   * escalation sweeper compares with the run's `signalVersion` to recover a lost one.
   */
  @Column({ type: 'text', nullable: true })
  signalKind!: string | null;

  @Column({ type: 'integer', nullable: true })
  signalVersion!: number | null;
}
