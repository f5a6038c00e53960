import type { EntityManager } from 'typeorm';
import type { ContactRef, DirectorySnapshot, OnCallSchedule, PolicyDefinition } from '@panah/domain';
import { prepared } from '@panah/db';

/** Team and staff ids a policy's steps name. */
export function policyTargets(policy: PolicyDefinition): {
  teamIds: string[];
  staffIds: string[];
  onCallTeamIds: string[];
  admins: boolean;
} {
  const teamIds = new Set<string>();
  const onCall = new Set<string>();
  const staffIds = new Set<string>();
  let admins = false;
  for (const s of policy.steps) {
    if (s.type === 'mark_overdue') admins = true;
    if (s.type !== 'notify' && s.type !== 'notify_if') continue;
    for (const t of s.targets) {
      if (t.type === 'staff') staffIds.add(t.staffId);
      else if (t.type === 'on_call') onCall.add(t.teamId);
      else teamIds.add(t.teamId);
    }
  }
  return { teamIds: [...teamIds], staffIds: [...staffIds], onCallTeamIds: [...onCall], admins };
}

/**
 * Loads the people, schedules and contact-method order a policy needs, in one round trip: one
 * row per fact, tagged by `part` (`owner` groups contact methods by person before their order).
 * The engine and the simulator both use it, so they see the same directory. Only active staff
 * count; admins are never team members here (they read no case content, G6) and are reached
 * through mark_overdue only.
 */
export async function loadDirectory(
  manager: EntityManager,
  policy: PolicyDefinition,
  at: Date,
): Promise<DirectorySnapshot> {
  const { teamIds, staffIds, onCallTeamIds, admins } = policyTargets(policy);
  const rows = (await manager.query(
    prepared(`WITH members AS (
       SELECT st.team_id, s.id, s.role, s.created_at FROM staff_teams st JOIN staff s ON s.id = st.staff_id
        WHERE st.team_id = ANY($1::uuid[]) AND s.status = 'active' AND s.role <> 'admin'
     ), named AS (
       SELECT id, role, created_at FROM staff WHERE status = 'active' AND (id = ANY($2::uuid[]) OR ($3 AND role = 'admin'))
     ), schedules AS (
       SELECT s.team_id, json_build_object('timeZone', s.time_zone, 'handoffTime', s.handoff_time, 'rotationStart', s.rotation_start, 'members', s.members,
                'overrides', COALESCE(json_agg(json_build_object('staffId', o.staff_id, 'startsAt', o.starts_at, 'endsAt', o.ends_at, 'createdAt', o.created_at))
                                      FILTER (WHERE o.id IS NOT NULL), '[]')) AS schedule,
              array_remove(s.members || array_agg(o.staff_id), NULL) AS people
         FROM oncall_schedules s LEFT JOIN oncall_overrides o ON o.schedule_id = s.id AND o.ends_at > $5
        WHERE s.team_id = ANY($4::uuid[]) GROUP BY s.id
     ), on_call AS (
       SELECT id FROM staff WHERE status = 'active' AND role <> 'admin' AND id IN (SELECT unnest(people) FROM schedules)
     ), everyone AS (
       SELECT id FROM members UNION SELECT id FROM named UNION SELECT id FROM on_call
     )
     SELECT 1 AS part, team_id, id AS staff_id, role, NULL::text AS value, NULL::text AS channel, NULL::uuid AS owner, 0 AS priority, created_at, NULL::json AS schedule FROM members
     UNION ALL SELECT 2, NULL, id, role, NULL, NULL, NULL, 0, created_at, NULL FROM named
     UNION ALL SELECT 3, team_id, NULL, NULL, NULL, NULL, NULL, 0, NULL, schedule FROM schedules
     UNION ALL SELECT 4, NULL, id, NULL, NULL, NULL, NULL, 0, NULL, NULL FROM on_call
     UNION ALL SELECT 5, NULL, staff_id, NULL, time_zone, NULL, NULL, 0, NULL, NULL FROM staff_notification_settings WHERE staff_id IN (SELECT id FROM everyone)
     UNION ALL SELECT 6, NULL, staff_id, NULL, id::text, channel, staff_id, priority, created_at, NULL FROM contact_methods WHERE staff_id IN (SELECT id FROM everyone) AND enabled
     ORDER BY part, owner, priority, created_at, staff_id, value`),
    [teamIds, staffIds, admins, onCallTeamIds, at],
  )) as DirectoryRow[];
  const teamMembers: Record<string, string[]> = {};
  const teamSupervisors: Record<string, string[]> = {};
  const active = new Set<string>();
  const onCallEligible = new Set<string>();
  const adminIds: string[] = [];
  const schedules: Record<string, OnCallSchedule> = {};
  const timeZones: Record<string, string> = {};
  const contacts: Record<string, ContactRef[]> = {};
  for (const r of rows) {
    switch (r.part) {
      case 1: // team members, oldest first
        (teamMembers[r.team_id] ??= []).push(r.staff_id);
        if (r.role === 'supervisor') (teamSupervisors[r.team_id] ??= []).push(r.staff_id);
        active.add(r.staff_id);
        break;
      case 2: // people the policy names, and admins if it marks overdue
        active.add(r.staff_id);
        if (r.role === 'admin' && admins) adminIds.push(r.staff_id);
        break;
      case 3: {
        const s = r.schedule;
        schedules[r.team_id] = {
          ...s,
          overrides: s.overrides.map((o) => ({
            staffId: o.staffId,
            startsAt: new Date(o.startsAt),
            endsAt: new Date(o.endsAt),
            createdAt: new Date(o.createdAt),
          })),
        };
        break;
      }
      case 4: // on-call members and overrides who are active and not admins (G6)
        active.add(r.staff_id);
        onCallEligible.add(r.staff_id);
        break;
      case 5:
        timeZones[r.staff_id] = r.value;
        break;
      case 6: // contact methods, in each person's order
        (contacts[r.staff_id] ??= []).push({ methodId: r.value, channel: r.channel });
        break;
    }
  }
  return {
    teamMembers,
    teamSupervisors,
    admins: adminIds,
    activeStaff: active,
    onCallEligible,
    schedules,
    timeZones,
    contacts,
  };
}

/** One fact of the directory statement, by `part` (the columns each part fills are not null). */
type DirectoryRow =
  | { part: 1; team_id: string; staff_id: string; role: string } // a team member
  | { part: 2; staff_id: string; role: string } // someone the policy names, or an admin
  | { part: 3; team_id: string; schedule: ScheduleJson } // a team's rotation with its overrides
  | { part: 4; staff_id: string } // someone on call
  | { part: 5; staff_id: string; value: string } // a person's time zone
  | { part: 6; staff_id: string; value: string; channel: string }; // a contact method (id, channel)

interface ScheduleJson {
  timeZone: string;
  handoffTime: string;
  rotationStart: string;
  members: string[];
  overrides: { staffId: string; startsAt: string; endsAt: string; createdAt: string }[];
}
