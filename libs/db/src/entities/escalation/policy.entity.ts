import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** An escalation policy; its steps live in immutable versions (a run keeps the version it started with). */
@Entity('escalation_policies')
@Index('escalation_policies_name_uq', ['name'], { unique: true })
export class EscalationPolicy {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'integer' })
  currentVersion!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** One version of a policy's definition; never updated after insert. */
@Entity('escalation_policy_versions')
export class EscalationPolicyVersion {
  @PrimaryColumn({ type: 'uuid' })
  policyId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @ManyToOne(() => EscalationPolicy, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_id', foreignKeyConstraintName: 'escalation_policy_versions_policy_fk' })
  policy?: EscalationPolicy;

  /** PolicyDefinition (libs/domain/escalation). Ids and durations only. */
  @Column({ type: 'jsonb' })
  definition!: Record<string, unknown>;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
