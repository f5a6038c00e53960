import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Staff } from './staff.entity';
import { Team } from './team.entity';

/**
 * A team membership asked for by one admin and waiting for a second admin's approval (G6: joining
 * a team grants its cases, hints included, so it takes four eyes, as vetting does). Removals
 * never wait here: they take effect at once.
 */
@Entity('staff_team_requests')
@Index('staff_team_requests_team_idx', ['teamId'])
export class StaffTeamRequest {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'staff_team_requests_pk' })
  staffId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'staff_team_requests_pk' })
  teamId!: string;

  @Column({ type: 'uuid' })
  requestedBy!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'staff_team_requests_staff_fk' })
  staff?: Staff;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'staff_team_requests_team_fk' })
  team?: Team;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'requested_by', foreignKeyConstraintName: 'staff_team_requests_requested_by_fk' })
  requester?: Staff;
}
