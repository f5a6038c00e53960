import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A staff account (crypto-v1 §4). The server holds the kdf salt, an Argon2id hash of authKey,
 * the public keys and the password-protected secret keys: nothing here opens a report. The TOTP
 * secret is encrypted with the server data key.
 */
@Entity('staff')
@Index('staff_login_uq', ['login'], { unique: true })
@Index('staff_role_status_idx', ['role', 'status'])
export class Staff {
  /** Chosen by the registering client: it is bound into the protected secret's AD. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  login!: string;

  /** How the inviting admin described the person; shown to admins only. */
  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'text' })
  role!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text' })
  kdfSalt!: string;

  /** Null once offboarded: the account can never sign in again. */
  @Column({ type: 'text', nullable: true })
  authKeyHash!: string | null;

  @Column({ type: 'text' })
  boxPk!: string;

  @Column({ type: 'text' })
  signPk!: string;

  @Column({ type: 'text' })
  protectedSecret!: string;

  @Column({ type: 'text', nullable: true })
  totpSecret!: string | null;

  /** Last TOTP time step accepted, so no code is accepted twice. */
  @Column({ type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  @Column({ type: 'uuid', nullable: true })
  invitedBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  invitationId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  statusChangedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  statusChangedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
