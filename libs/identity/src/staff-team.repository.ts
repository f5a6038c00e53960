import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Team membership (`staff_teams`) as other capabilities read it, with the caller's transaction. */
@Injectable()
export class StaffTeamRepository {
  /** The teams a staff member belongs to. */
  async teamIdsOf(m: EntityManager, staffId: string): Promise<string[]> {
    const rows = (await m.query(`SELECT team_id FROM staff_teams WHERE staff_id = $1`, [staffId])) as {
      team_id: string;
    }[];
    return rows.map((r) => r.team_id);
  }
}
