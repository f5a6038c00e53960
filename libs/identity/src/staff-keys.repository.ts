import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffRole } from '@panah/domain';

/** A staff member's public keys as case work needs them (never the protected secret). */
export interface StaffKeyRow {
  readonly staffId: string;
  readonly label: string;
  readonly role: StaffRole;
  readonly status: string;
  readonly boxPk: string;
  readonly signPk: string;
  readonly teamIds: string[];
}

interface Row {
  id: string;
  label: string;
  role: StaffRole;
  status: string;
  box_pk: string;
  sign_pk: string;
  team_ids: string[] | null;
}

const SELECT = `SELECT s.id, s.label, s.role, s.status, s.box_pk, s.sign_pk,
                       ARRAY(SELECT team_id FROM staff_teams st WHERE st.staff_id = s.id ORDER BY team_id)::text[] AS team_ids
                  FROM staff s`;
const rowOf = (r: Row): StaffKeyRow => ({
  staffId: r.id,
  label: r.label,
  role: r.role,
  status: r.status,
  boxPk: r.box_pk,
  signPk: r.sign_pk,
  teamIds: r.team_ids ?? [],
});

/** Staff public keys and team membership, read by case work (identity owns `staff` and `staff_teams`). */
@Injectable()
export class StaffKeysRepository {
  async byIds(m: EntityManager, staffIds: readonly string[]): Promise<StaffKeyRow[]> {
    if (staffIds.length === 0) return [];
    const rows = (await m.query(`${SELECT} WHERE s.id = ANY($1::uuid[]) ORDER BY s.created_at, s.id`, [
      [...new Set(staffIds)],
    ])) as Row[];
    return rows.map(rowOf);
  }

  /** Active supervisors and caseworkers of a team (admins never read cases). */
  async activeMembersOf(m: EntityManager, teamId: string): Promise<StaffKeyRow[]> {
    const rows = (await m.query(
      `${SELECT} WHERE s.status = 'active' AND s.role <> 'admin' AND EXISTS (SELECT 1 FROM staff_teams st WHERE st.staff_id = s.id AND st.team_id = $1)
        ORDER BY s.created_at, s.id`,
      [teamId],
    )) as Row[];
    return rows.map(rowOf);
  }

  /** Every active supervisor and caseworker (what the organisation may list as `staff` in the directory). */
  async activeCaseStaff(m: EntityManager): Promise<StaffKeyRow[]> {
    const rows = (await m.query(
      `${SELECT} WHERE s.status = 'active' AND s.role <> 'admin' ORDER BY s.created_at, s.id`,
    )) as Row[];
    return rows.map(rowOf);
  }

  /** All staff with their public keys, for kid lookups (small table; callers filter by kid). */
  async all(m: EntityManager): Promise<StaffKeyRow[]> {
    const rows = (await m.query(`${SELECT} ORDER BY s.created_at, s.id`)) as Row[];
    return rows.map(rowOf);
  }
}
