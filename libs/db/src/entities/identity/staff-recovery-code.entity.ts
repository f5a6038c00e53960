import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Staff } from './staff.entity';

/** One-time recovery codes (a stand-in for a lost authenticator), stored as keyed digests. */
@Entity('staff_recovery_codes')
@Index('staff_recovery_codes_uq', ['staffId', 'codeDigest'], { unique: true })
export class StaffRecoveryCode {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  staffId!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'staff_recovery_codes_staff_fk' })
  staff?: Staff;

  @Column({ type: 'text' })
  codeDigest!: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
