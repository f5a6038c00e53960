import type { EntityManager } from 'typeorm';
import type { ContactRef, DirectorySnapshot, OnCallSchedule, PolicyDefinition } from '@panah/domain';
import { prepared } from '@panah/db';

/** Team and staff ids a policy's steps name. */
export function policyTargets(policy: PolicyDefinition): { teamIds: string[]; staffIds: string[]; onCallTeamIds: string[]; admins: boolean } {
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
 * Loads the people, schedules and contact-method order a policy needs, in a handful of
 * queries. The engine and the simulator both use it, so they see the same directory.
 */
export async function loadDirectory(manager: EntityManager, policy: PolicyDefinition, at: Date): Promise<DirectorySnapshot> {
  const { teamIds, staffIds, onCallTeamIds, admins } = policyTargets(policy);
  const teamMembers: Record<string, string[]> = {};
  const teamSupervisors: Record<string, string[]> = {};
  const active = new Set<string>();
  if (teamIds.length > 0) {
    const rows = (await manager.query(
      prepared(`SELECT st.team_id, s.id, s.role FROM staff_teams st JOIN staff s ON s.id = st.staff_id
        WHERE st.team_id = ANY($1::uuid[]) AND s.status = 'active' ORDER BY s.created_at, s.id`),
      [teamIds],
    )) as { team_id: string; id: string; role: string }[];
    for (const r of rows) {
      // Admins read no case content (G6); they are reached through mark_overdue only.
      if (r.role === 'admin') continue;
      (teamMembers[r.team_id] ??= []).push(r.id);
      if (r.role === 'supervisor') (teamSupervisors[r.team_id] ??= []).push(r.id);
      active.add(r.id);
    }
  }
  const adminIds: string[] = [];
  const named = staffIds.length === 0 && !admins ? [] : ((await manager.query(
    prepared(`SELECT id, role FROM staff WHERE status = 'active' AND (id = ANY($1::uuid[]) OR ($2 AND role = 'admin')) ORDER BY created_at, id`),
    [staffIds, admins],
  )) as { id: string; role: string }[]);
  for (const r of named) {
    if (staffIds.includes(r.id)) active.add(r.id);
    if (r.role === 'admin' && admins) {
      adminIds.push(r.id);
      active.add(r.id);
    }
  }
  const schedules: Record<string, OnCallSchedule> = {};
  if (onCallTeamIds.length > 0) {
    const rows = (await manager.query(
      prepared(`SELECT s.id, s.team_id, s.time_zone, s.handoff_time, s.rotation_start, s.members,
              COALESCE(json_agg(json_build_object('staffId', o.staff_id, 'startsAt', o.starts_at, 'endsAt', o.ends_at, 'createdAt', o.created_at))
                       FILTER (WHERE o.id IS NOT NULL), '[]') AS overrides
         FROM oncall_schedules s LEFT JOIN oncall_overrides o ON o.schedule_id = s.id AND o.ends_at > $2
        WHERE s.team_id = ANY($1::uuid[]) GROUP BY s.id`),
      [onCallTeamIds, at],
    )) as { team_id: string; time_zone: string; handoff_time: string; rotation_start: string; members: string[]; overrides: { staffId: string; startsAt: string; endsAt: string; createdAt: string }[] }[];
    const people = new Set<string>();
    for (const r of rows) {
      schedules[r.team_id] = {
        timeZone: r.time_zone,
        handoffTime: r.handoff_time,
        rotationStart: r.rotation_start,
        members: r.members,
        overrides: r.overrides.map((o) => ({ staffId: o.staffId, startsAt: new Date(o.startsAt), endsAt: new Date(o.endsAt), createdAt: new Date(o.createdAt) })),
      };
      for (const m of r.members) people.add(m);
      for (const o of r.overrides) people.add(o.staffId);
    }
    if (people.size > 0) {
      const ok = (await manager.query(prepared(`SELECT id FROM staff WHERE status = 'active' AND id = ANY($1::uuid[])`), [[...people]])) as { id: string }[];
      for (const r of ok) active.add(r.id);
    }
  }
  const everyone = [...active];
  const timeZones: Record<string, string> = {};
  const contacts: Record<string, ContactRef[]> = {};
  if (everyone.length > 0) {
    // Time zones and contact-method order in one round trip.
    const rows = (await manager.query(
      prepared(`SELECT 'zone' AS kind, staff_id, time_zone AS value, NULL AS channel, 0 AS priority, now() AS created_at FROM staff_notification_settings WHERE staff_id = ANY($1::uuid[])
       UNION ALL
       SELECT 'method', staff_id, id::text, channel, priority, created_at FROM contact_methods WHERE staff_id = ANY($1::uuid[]) AND enabled
       ORDER BY staff_id, priority, created_at, value`),
      [everyone],
    )) as { kind: string; staff_id: string; value: string; channel: string | null }[];
    for (const r of rows) {
      if (r.kind === 'zone') timeZones[r.staff_id] = r.value;
      else (contacts[r.staff_id] ??= []).push({ methodId: r.value, channel: r.channel as string });
    }
  }
  return { teamMembers, teamSupervisors, admins: adminIds, activeStaff: active, schedules, timeZones, contacts };
}
