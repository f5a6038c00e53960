import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Staff } from '../identity/staff.entity';
import { Case } from '../triage/case.entity';

/**
 * A grant (crypto-v1 §10): one envelope's key sealed to one more staff box key, signed by the
 * granter. One per (envelope, kid). Owner: libs/cases.
 */
@Entity('case_grants')
@Index('case_grants_case_idx', ['caseId', 'kid'])
export class CaseGrant {
  @PrimaryColumn({ type: 'uuid' })
  envelopeId!: string;

  /** kid of the grantee's X25519 key. */
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_grants_case_fk' })
  case?: Case;

  @Column({ type: 'text' })
  wk!: string;

  /** kid of the granter's Ed25519 key. */
  @Column({ type: 'text' })
  byKid!: string;

  @Column({ type: 'text' })
  sig!: string;

  @Column({ type: 'uuid' })
  grantedBy!: string;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'granted_by', foreignKeyConstraintName: 'case_grants_granted_by_fk' })
  granter?: Staff;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
