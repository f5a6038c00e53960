import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Staff } from '../identity/staff.entity';
import { Case } from '../triage/case.entity';

/** A case note (crypto-v1 §9, envelope kind `note`): ciphertext sealed to the case's staff and the recovery key. Owner: libs/cases. */
@Entity('case_notes')
@Index('case_notes_case_idx', ['caseId', 'createdAt', 'id'])
export class CaseNote {
  /** Chosen by the author's device (idempotent PUT); also the envelope id. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_notes_case_fk' })
  case?: Case;

  @Column({ type: 'uuid' })
  authorId!: string;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'case_notes_author_fk' })
  author?: Staff;

  @Column({ type: 'jsonb' })
  envelope!: Record<string, unknown>;

  /** Keyed digest of the request: an identical replay is a 200, a different body a 409. */
  @Column({ type: 'text' })
  requestDigest!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
