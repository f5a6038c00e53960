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
import { Case } from '../triage/case.entity';
import { Reporter } from './reporter.entity';

/**
 * A submitted report. `envelope` is crypto-v1 ciphertext the server cannot open (G1); `hints` is
 * the HintsCipher string (spec §6), decrypted only by the triage worker (G2).
 */
@Entity('reports')
@Index('reports_reporter_idx', ['reporterId', 'receivedAt', 'id'])
@Index('reports_received_idx', ['receivedAt'], { where: `status = 'received'` })
@Check('reports_status_check', `status IN ('received', 'triaged', 'in_progress', 'closed')`)
export class Report {
  /** Chosen by the author's device (idempotent PUT). */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'reports_reporter_fk' })
  reporter?: Reporter;

  @Column({ type: 'text', default: 'received' })
  status!: string;

  @Column({ type: 'jsonb' })
  envelope!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  hints!: string | null;

  /** Keyed digest of the canonical request: a retry must match it exactly, or it is a 409. */
  @Column({ type: 'text' })
  requestDigest!: string;

  /** Serial of the directory the recipients were checked against. */
  @Column({ type: 'bigint' })
  directorySerial!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  triagedAt!: Date | null;

  /** The case triage opened or linked this report to (added by the triage migration). */
  @Index('reports_case_idx')
  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @ManyToOne(() => Case, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'reports_case_fk' })
  case?: Case;
}

/** An uploaded attachment blob (secretstream ciphertext), stored as chunk rows under `uploadId`. */
@Entity('report_attachments')
export class ReportAttachment {
  @PrimaryColumn({ type: 'uuid' })
  reportId!: string;

  @ManyToOne(() => Report, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'report_attachments_report_fk' })
  report?: Report;

  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('report_attachments_upload_key', { unique: true })
  @Column({ type: 'uuid' })
  uploadId!: string;

  @Column({ type: 'bigint' })
  size!: string;

  /** SHA-256 of the blob (hex): a retried upload must carry the same bytes. */
  @Column({ type: 'text' })
  sha256!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * Blob bytes in chunk rows (bytea), so a PostgreSQL backup holds everything. Chunks are written
 * under a fresh `uploadId` while streaming and become visible only when a ReportAttachment row
 * points at that upload; chunks of an abandoned upload are swept by the reconciler.
 */
@Entity('attachment_chunks')
@Index('attachment_chunks_created_idx', ['createdAt'])
export class AttachmentChunk {
  @PrimaryColumn({ type: 'uuid' })
  uploadId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'bytea' })
  data!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A case's conversation (crypto-v1 §9): staff messages sealed to the reporter's box key, the
 * author and the case's staff, and the reporter's messages sealed to the directory's keys.
 * Owner: libs/intake (MessageRepository).
 */
@Entity('reporter_messages')
@Index('reporter_messages_reporter_idx', ['reporterId', 'createdAt', 'id'])
@Index('reporter_messages_case_idx', ['caseId', 'createdAt', 'id'])
@Check(
  'reporter_messages_author_check',
  `(author_type = 'staff' AND author_staff_id IS NOT NULL) OR (author_type = 'reporter' AND author_staff_id IS NULL)`,
)
export class ReporterMessage {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'reporter_messages_reporter_fk' })
  reporter?: Reporter;

  @Column({ type: 'uuid', nullable: true })
  reportId!: string | null;

  @ManyToOne(() => Report, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'reporter_messages_report_fk' })
  report?: Report;

  /** The case the conversation belongs to (null for a reporter message sent before triage: read through report_id). */
  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'reporter_messages_case_fk' })
  case?: Case;

  /** `staff` (to the reporter) or `reporter` (from them). */
  @Column({ type: 'text', default: 'staff' })
  authorType!: string;

  @Column({ type: 'uuid', nullable: true })
  authorStaffId!: string | null;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_staff_id', foreignKeyConstraintName: 'reporter_messages_author_fk' })
  authorStaff?: Staff;

  @Column({ type: 'jsonb' })
  envelope!: Record<string, unknown>;

  /** Keyed digest of the request (idempotent PUT: identical replay 200, different body 409). */
  @Column({ type: 'text', nullable: true })
  requestDigest!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
