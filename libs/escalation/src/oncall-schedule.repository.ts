import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OnCallSchedule } from '@panah/domain';

/** A team's weekly rotation (`oncall_schedules`) as it is stored. */
export interface ScheduleRow {
  readonly id: string;
  readonly time_zone: string;
  readonly handoff_time: string;
  readonly rotation_start: string;
  readonly members: string[];
}

/** An override of a rotation (`oncall_overrides`) that has not ended. */
export interface OverrideRow {
  readonly staff_id: string;
  readonly starts_at: Date;
  readonly ends_at: Date;
  readonly created_at: Date;
}

/**
 * Owner of `oncall_schedules` and `oncall_overrides`: one rotation per team and its overrides.
 * (The directory an escalation step reads joins them in its one statement: directory.repository.)
 */
@Injectable()
export class OnCallScheduleRepository {
  /** Creates or replaces the team's rotation; the schedule's id. */
  async upsert(
    m: EntityManager,
    s: {
      id: string;
      teamId: string;
      timeZone: string;
      handoffTime: string;
      rotationStart: string;
      members: readonly string[];
    },
  ): Promise<string> {
    const rows = (await m.query(
      `INSERT INTO oncall_schedules (id, team_id, time_zone, handoff_time, rotation_start, members) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (team_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, handoff_time = EXCLUDED.handoff_time,
         rotation_start = EXCLUDED.rotation_start, members = EXCLUDED.members, updated_at = now() RETURNING id`,
      [s.id, s.teamId, s.timeZone, s.handoffTime, s.rotationStart, s.members],
    )) as { id: string }[];
    return rows[0].id;
  }

  /** The team's schedule id, or null when it has none. */
  async idForTeam(m: EntityManager, teamId: string): Promise<string | null> {
    const rows = (await m.query(`SELECT id FROM oncall_schedules WHERE team_id = $1`, [teamId])) as {
      id: string;
    }[];
    return rows[0]?.id ?? null;
  }

  async insertOverride(
    m: EntityManager,
    o: { id: string; scheduleId: string; staffId: string; startsAt: Date; endsAt: Date },
  ): Promise<void> {
    await m.query(
      `INSERT INTO oncall_overrides (id, schedule_id, staff_id, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)`,
      [o.id, o.scheduleId, o.staffId, o.startsAt, o.endsAt],
    );
  }

  /** The team's rotation with the overrides that have not ended at `at`, or null when it has none. */
  async scheduleOf(m: EntityManager, teamId: string, at: Date): Promise<OnCallSchedule | null> {
    const rows = (await m.query(
      `SELECT id, time_zone, handoff_time, rotation_start, members FROM oncall_schedules WHERE team_id = $1`,
      [teamId],
    )) as ScheduleRow[];
    const r = rows[0];
    if (!r) return null;
    const overrides = (await m.query(
      `SELECT staff_id, starts_at, ends_at, created_at FROM oncall_overrides WHERE schedule_id = $1 AND ends_at > $2`,
      [r.id, at],
    )) as OverrideRow[];
    return {
      timeZone: r.time_zone,
      handoffTime: r.handoff_time,
      rotationStart: r.rotation_start,
      members: r.members,
      overrides: overrides.map((o) => ({
        staffId: o.staff_id,
        startsAt: o.starts_at,
        endsAt: o.ends_at,
        createdAt: o.created_at,
      })),
    };
  }

  /** Those of `teamIds` that have a rotation. */
  async teamsWithSchedule(m: EntityManager, teamIds: readonly string[]): Promise<Set<string>> {
    const rows = (await m.query(`SELECT team_id FROM oncall_schedules WHERE team_id = ANY($1::uuid[])`, [
      teamIds,
    ])) as { team_id: string }[];
    return new Set(rows.map((r) => r.team_id));
  }
}
