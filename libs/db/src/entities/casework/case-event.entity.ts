import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Case } from '../triage/case.entity';

/** What was done to a case that is not a signal: assignments and hand-overs (ids only). Owner: libs/cases. */
@Entity('case_events')
@Index('case_events_case_idx', ['caseId', 'at'])
@Check('case_events_kind_check', `kind IN ('assigned', 'handed_over')`)
export class CaseEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_events_case_fk' })
  case?: Case;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** `{assigneeId, fromTeamId, teamId}`: ids only, never content. */
  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
