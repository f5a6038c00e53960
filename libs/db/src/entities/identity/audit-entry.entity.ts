import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The append-only, hash-chained audit log (G6). `seq` is assigned under the chain-head lock, so
 * it has no gaps; a trigger refuses UPDATE and DELETE. Ids and enums only, never contents.
 */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  actorType!: string;

  @Column({ type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, string | number | boolean | null>;

  @Column({ type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}

/** One row (id 1): the last seq and hash. Appenders lock it, which serialises the chain. */
@Entity('audit_chain_head')
export class AuditChainHead {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'bigint' })
  lastSeq!: string;

  @Column({ type: 'text' })
  lastHash!: string;
}
