import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Versions of the admins' triage rule set. A version is never edited: a change is a new version,
 * and exactly one version (or none: the built-in set applies) is active.
 */
@Entity('triage_rule_sets')
@Index('triage_rule_sets_one_active', ['active'], { unique: true, where: 'active' })
export class TriageRuleSetVersion {
  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** The validated TriageRuleSet. */
  @Column({ type: 'jsonb' })
  definition!: Record<string, unknown>;

  @Column({ type: 'boolean', default: false })
  active!: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  activatedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;
}
