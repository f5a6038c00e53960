import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Signed key directories (crypto-v1 §5) as uploaded by admins, verified against the configured
 * root key. The one with the highest serial is current; older ones stay for the record.
 */
@Entity('key_directories')
export class KeyDirectory {
  /** bigint comes back from pg as a string. */
  @PrimaryColumn({ type: 'bigint' })
  serial!: string;

  /** The signed document exactly as served: `{v, payload, sig}`. */
  @Column({ type: 'jsonb' })
  document!: { v: 1; payload: string; sig: string };

  /** kids of the intake keys, extracted once at upload, for the recipient check. */
  @Column({ type: 'text', array: true })
  intakeKids!: string[];

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'text', nullable: true })
  publishedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  publishedAt!: Date;
}
