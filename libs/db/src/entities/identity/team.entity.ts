import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A team of caseworkers and supervisors; triage routes cases to teams by region and language. */
@Entity('teams')
@Index('teams_name_uq', ['name'], { unique: true })
export class Team {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** ISO 3166-1 alpha-2 codes. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  regions!: string[];

  /** Codes from the hint language vocabulary. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages!: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
