import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Staff } from './staff.entity';

/** A signed-in staff session; only the keyed digest of its `ps_…` token is stored. */
@Entity('staff_sessions')
@Index('staff_sessions_token_uq', ['tokenDigest'], { unique: true })
@Index('staff_sessions_live_idx', ['staffId'], { where: 'revoked_at IS NULL' })
export class StaffSession {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'staff_sessions_staff_fk' })
  staff?: Staff;

  @Column({ type: 'text' })
  tokenDigest!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** `logout`, `suspended`, `offboarded`. */
  @Column({ type: 'text', nullable: true })
  revokeReason!: string | null;
}
