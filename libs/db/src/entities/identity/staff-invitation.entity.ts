import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A single-use, expiring invitation (`pi_…`) or bootstrap setup link (`pa_…`). Only the token's
 * keyed digest is stored, so a copy of the database cannot be used to register.
 */
@Entity('staff_invitations')
@Index('staff_invitations_token_uq', ['tokenDigest'], { unique: true })
@Index('staff_invitations_open_idx', ['createdAt'], { where: 'used_at IS NULL AND revoked_at IS NULL' })
export class StaffInvitation {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** `invitation` or `setup`. */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  tokenDigest!: string;

  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'text' })
  role!: string;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  teamIds!: string[];

  /** Null for setup links (made by the operator with `panah admin bootstrap`). */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  usedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
