import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';

/**
 * An anonymous reporter: nothing but the kid of the sign key derived from their access code
 * (crypto-v1 §3). No name, email, phone, address or user agent exists anywhere (G2).
 */
@Entity('reporters')
export class Reporter {
  /** kid(signPk) of the primary key: 22 base64url characters. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

export type ReporterKeyPurpose = 'primary' | 'duress';

/**
 * A reporter's public keys. The duress key is a second access code's keys: signing in with it
 * looks normal to whoever watches and marks the session `duress` (a critical alert, later issue).
 */
@Entity('reporter_keys')
@Check('reporter_keys_purpose_check', `purpose IN ('primary', 'duress')`)
@Index('reporter_keys_reporter_idx', ['reporterId'])
export class ReporterKey {
  /** kid(signPk). */
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'reporter_keys_reporter_fk' })
  reporter?: Reporter;

  /** Ed25519 public key, b64u. */
  @Column({ type: 'text' })
  signPk!: string;

  /** X25519 public key, b64u (messages to the reporter are sealed to it). */
  @Column({ type: 'text' })
  boxPk!: string;

  @Column({ type: 'text' })
  purpose!: ReporterKeyPurpose;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A reporter session: only the token's keyed digest is stored, so the table cannot be replayed. */
@Entity('reporter_sessions')
@Index('reporter_sessions_expires_idx', ['expiresAt'])
export class ReporterSession {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('reporter_sessions_token_digest_key', { unique: true })
  @Column({ type: 'text' })
  tokenDigest!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'reporter_sessions_reporter_fk' })
  reporter?: Reporter;

  @Column({ type: 'text' })
  keyKid!: string;

  @ManyToOne(() => ReporterKey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'key_kid', foreignKeyConstraintName: 'reporter_sessions_key_fk' })
  key?: ReporterKey;

  /** Signed in with the duress code. */
  @Column({ type: 'boolean', default: false })
  duress!: boolean;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * Reports a reporter filed per UTC day (issue 18: REPORTER_QUOTA_REPORTS_PER_DAY). A counter, not
 * a count of rows, so a report's insert bumps it in its one statement and the check refuses it.
 */
@Entity('reporter_daily_usage')
@Check('reporter_daily_usage_quota_check', `reports <= max_reports`)
export class ReporterDailyUsage {
  @PrimaryColumn({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'reporter_daily_usage_reporter_fk' })
  reporter?: Reporter;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @Column({ type: 'integer' })
  reports!: number;

  /** The quota in force at the last bump; the check constraint refuses `reports` above it. */
  @Column({ type: 'integer' })
  maxReports!: number;
}

/**
 * The one attachment upload a reporter may have in flight (issue: parallel uploads each staged
 * their bytes before the quota's locked check). A lease row, not a lock held by a connection:
 * the upload holds no database connection while the client sends, and a crashed API's lease
 * simply expires (`expiresAt`, HTTP_REQUEST_TIMEOUT_MS plus a margin) for the next upload to take.
 */
@Entity('reporter_upload_leases')
export class ReporterUploadLease {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'reporter_upload_leases_pk' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'reporter_upload_leases_reporter_fk' })
  reporter?: Reporter;

  /** The upload holding the lease (its staged chunks' upload id): only it may release it. */
  @Column({ type: 'uuid' })
  uploadId!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
