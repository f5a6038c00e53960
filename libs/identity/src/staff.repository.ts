import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Staff and teams (`staff`, `teams`, `staff_teams`) as other capabilities read them: who is
 * active, who is in a team, which teams exist. With the caller's transaction.
 */
@Injectable()
export class StaffRepository {
  /** Those of `ids` that are active staff members. */
  async activeIds(m: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await m.query(`SELECT id FROM staff WHERE status = 'active' AND id = ANY($1::uuid[])`, [
      ids,
    ])) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  /** Is this an active caseworker or supervisor (not an admin)? */
  async isActiveCaseStaff(m: EntityManager, staffId: string): Promise<boolean> {
    const rows = (await m.query(
      `SELECT 1 FROM staff WHERE id = $1 AND status = 'active' AND role <> 'admin'`,
      [staffId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Those of `ids` that are active members of the team. */
  async activeMembersAmong(m: EntityManager, teamId: string, ids: readonly string[]): Promise<Set<string>> {
    const rows = (await m.query(
      `SELECT s.id FROM staff s JOIN staff_teams st ON st.staff_id = s.id AND st.team_id = $2 WHERE s.id = ANY($1::uuid[]) AND s.status = 'active'`,
      [ids, teamId],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  /** The ids among `ids` who may be on call for the team: active members, never admins (G6). */
  async onCallEligibleAmong(m: EntityManager, teamId: string, ids: readonly string[]): Promise<Set<string>> {
    const rows = (await m.query(
      `SELECT s.id FROM staff s JOIN staff_teams st ON st.staff_id = s.id AND st.team_id = $2 WHERE s.id = ANY($1::uuid[]) AND s.status = 'active' AND s.role <> 'admin'`,
      [ids, teamId],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  async isMemberOf(m: EntityManager, staffId: string, teamId: string): Promise<boolean> {
    return (
      (
        (await m.query(`SELECT 1 FROM staff_teams WHERE staff_id = $1 AND team_id = $2`, [
          staffId,
          teamId,
        ])) as unknown[]
      ).length > 0
    );
  }

  /** The team's active caseworkers and supervisors, oldest account first. */
  async activeCaseStaffOfTeam(m: EntityManager, teamId: string): Promise<string[]> {
    const rows = (await m.query(
      `SELECT s.id FROM staff_teams st JOIN staff s ON s.id = st.staff_id
        WHERE st.team_id = $1 AND s.status = 'active' AND s.role <> 'admin' ORDER BY s.created_at, s.id`,
      [teamId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Every active admin, oldest account first. */
  async activeAdminIds(m: EntityManager): Promise<string[]> {
    const rows = (await m.query(
      `SELECT id FROM staff WHERE role = 'admin' AND status = 'active' ORDER BY created_at, id`,
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Those of `ids` that are teams. */
  async existingTeamIds(m: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await m.query(`SELECT id FROM teams WHERE id = ANY($1::uuid[])`, [ids])) as {
      id: string;
    }[];
    return new Set(rows.map((r) => r.id));
  }
}
