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
import { Reporter } from '../intake/reporter.entity';

/**
 * One check-in: a time and what it meant. Where the reporter was is never stored, unless they
 * wrote it inside an encrypted `checkin` envelope that only caseworkers' devices open.
 */
@Entity('checkins')
@Index('checkins_reporter_idx', ['reporterId', 'checkedInAt', 'id'])
@Check('checkins_outcome_check', `outcome IN ('on_time', 'late', 'after_alert', 'recorded', 'duress')`)
export class Checkin {
  /** Chosen by the client, so a retried request is one check-in. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  reporterId!: string;

  @ManyToOne(() => Reporter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'checkins_reporter_fk' })
  reporter?: Reporter;

  @Column({ type: 'timestamptz' })
  checkedInAt!: Date;

  /** The deadline it answered, if any. */
  @Column({ type: 'timestamptz', nullable: true })
  deadline!: Date | null;

  /** `duress`: signed with the duress key or sent from a duress session; it answers nothing. */
  @Column({ type: 'text' })
  outcome!: string;

  /** An optional crypto-v1 envelope of kind `checkin` ("I am moving to…"), ciphertext only. */
  @Column({ type: 'jsonb', nullable: true })
  envelope!: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
