import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Staff } from './staff.entity';
import { Team } from './team.entity';

/** Team membership. A team with members cannot be deleted (RESTRICT). */
@Entity('staff_teams')
@Index('staff_teams_team_idx', ['teamId'])
export class StaffTeam {
  @PrimaryColumn({ type: 'uuid' })
  staffId!: string;

  @PrimaryColumn({ type: 'uuid' })
  teamId!: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'staff_teams_staff_fk' })
  staff?: Staff;

  @ManyToOne(() => Team, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'staff_teams_team_fk' })
  team?: Team;
}
