import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Team } from '@panah/db';

/** A team as admins list it: routing attributes and how many people it has. */
export interface TeamRow {
  readonly id: string;
  readonly name: string;
  readonly regions: string[];
  readonly languages: string[];
  readonly members: number;
}

/** `teams` for admin CRUD, with the caller's manager. */
@Injectable()
export class TeamRepository {
  /** Every team (or the one with `id`), by name, with its member count. */
  async list(m: EntityManager, id: string | null): Promise<TeamRow[]> {
    return (await m.query(
      `SELECT t.id, t.name, t.regions, t.languages, count(st.staff_id)::int AS members
         FROM teams t LEFT JOIN staff_teams st ON st.team_id = t.id
        WHERE $1::uuid IS NULL OR t.id = $1::uuid
        GROUP BY t.id ORDER BY t.name`,
      [id],
    )) as TeamRow[];
  }

  async insert(m: EntityManager, team: Pick<Team, 'id' | 'name' | 'regions' | 'languages'>): Promise<void> {
    await m.getRepository(Team).insert(team);
  }

  /** Locks the row for the rest of the transaction. */
  lock(m: EntityManager, id: string): Promise<Team | null> {
    return m.getRepository(Team).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async update(m: EntityManager, id: string, patch: Partial<Team>): Promise<void> {
    await m.getRepository(Team).update({ id }, patch);
  }

  async memberCount(m: EntityManager, id: string): Promise<number> {
    const [{ n }] = (await m.query(`SELECT count(*)::int AS n FROM staff_teams WHERE team_id = $1`, [
      id,
    ])) as {
      n: number;
    }[];
    return n;
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.getRepository(Team).delete({ id });
  }
}
