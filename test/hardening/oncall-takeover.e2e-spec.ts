import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, TestDatabase } from '../support/database';
import { ackTokenIn, addContact, call, createPolicy, openCase, runOf } from '../support/escalation';
import { ensureTeam, signedInStaff, type TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';
import { TestWebhookReceiver } from '../support/webhook';

/**
 * The attack (G6): a supervisor of team A replaces team B's on-call rotation and adds overrides
 * naming themselves (or an admin), receives team B's alert, then acknowledges and resolves team
 * B's case without team B ever being told. And: an admin quietly adds someone to a team, which
 * grants its cases.
 */
describe('hardening: cross-team on-call takeover and team membership', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let hooks: TestWebhookReceiver;
  let admin: TestStaff;
  let secondAdmin: TestStaff;
  let attacker: TestStaff; // supervisor of team A
  let teamA: string;
  let teamB: string;
  let memberB: TestStaff;
  let supervisorB: TestStaff;

  const scheduleOf = (teamId: string) =>
    rowsOf<{ members: string[] }>(db.url, 'SELECT members FROM oncall_schedules WHERE team_id = $1', [
      teamId,
    ]);
  const overridesOf = (teamId: string) =>
    rowsOf(
      db.url,
      'SELECT o.id FROM oncall_overrides o JOIN oncall_schedules s ON s.id = o.schedule_id WHERE s.team_id = $1',
      [teamId],
    );
  const schedule = (members: string[]) => ({
    timeZone: 'Europe/Berlin',
    handoffTime: '09:00',
    rotationStart: '2026-01-05',
    members,
  });
  const override = (staffId: string) => ({
    staffId,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    hooks = await TestWebhookReceiver.start();
    const config = testConfig(db.url, {
      LOG_LEVEL: 'warn',
      ESCALATION_SWEEP_EVERY_MS: '500',
      ESCALATION_SWEEP_GRACE_MS: '1000',
      OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32',
    });
    api = await startApi(config);
    worker = await startWorker(config);
    teamA = await ensureTeam(db, 'Team A');
    teamB = await ensureTeam(db, 'Team B');
    admin = await signedInStaff(api, db, { role: 'admin', teams: [teamA] });
    secondAdmin = await signedInStaff(api, db, { role: 'admin' });
    attacker = await signedInStaff(api, db, { role: 'supervisor', teams: [teamA] });
    memberB = await signedInStaff(api, db, { role: 'caseworker', teams: [teamB] });
    supervisorB = await signedInStaff(api, db, { role: 'supervisor', teams: [teamB] });
    expect(
      (await call(api, admin, 'PUT', `/admin/teams/${teamB}/on-call`, schedule([memberB.staffId]))).status,
    ).toBe(200);
    expect(
      (await call(api, admin, 'PUT', `/admin/teams/${teamA}/on-call`, schedule([attacker.staffId]))).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await hooks?.close();
    await db?.drop();
  });

  it("refuses a supervisor changing another team's rotation or overrides, and writes nothing", async () => {
    for (const members of [[attacker.staffId], [memberB.staffId], [admin.staffId]]) {
      const res = await call(api, attacker, 'PUT', `/admin/teams/${teamB}/on-call`, schedule(members));
      expect(res.status).toBe(404);
    }
    for (const who of [attacker.staffId, admin.staffId, memberB.staffId]) {
      expect(
        (await call(api, attacker, 'POST', `/admin/teams/${teamB}/on-call/overrides`, override(who))).status,
      ).toBe(404);
    }
    expect(await scheduleOf(teamB)).toEqual([{ members: [memberB.staffId] }]);
    expect(await overridesOf(teamB)).toEqual([]);
    // team B's own supervisor still manages it
    expect(
      (
        await call(
          api,
          supervisorB,
          'POST',
          `/admin/teams/${teamB}/on-call/overrides`,
          override(memberB.staffId),
        )
      ).status,
    ).toBe(201);
  });

  it('refuses rotation members and override staff who are not active members of the team, and admins always', async () => {
    // the admin is in team A, but admins are never on call
    const asMember = await call<{ fields?: { path: string }[] }>(
      api,
      attacker,
      'PUT',
      `/admin/teams/${teamA}/on-call`,
      schedule([attacker.staffId, admin.staffId]),
    );
    expect(asMember.status).toBe(400);
    expect(asMember.body.fields?.map((f) => f.path)).toEqual(['members[1]']);
    const byAdmin = await call(api, admin, 'PUT', `/admin/teams/${teamA}/on-call`, schedule([admin.staffId]));
    expect(byAdmin.status).toBe(400);
    for (const who of [admin.staffId, memberB.staffId, secondAdmin.staffId]) {
      const res = await call<{ fields?: { path: string }[] }>(
        api,
        attacker,
        'POST',
        `/admin/teams/${teamA}/on-call/overrides`,
        override(who),
      );
      expect({ who, status: res.status, fields: res.body.fields?.map((f) => f.path) }).toEqual({
        who,
        status: 400,
        fields: ['staffId'],
      });
    }
    expect(await scheduleOf(teamA)).toEqual([{ members: [attacker.staffId] }]);
    expect(await overridesOf(teamA)).toEqual([]);
  });

  it('never names an admin as on call, even in a rotation written before they became one', async () => {
    const later = await signedInStaff(api, db, { role: 'caseworker', teams: [teamB] });
    expect(
      (
        await call(
          api,
          admin,
          'PUT',
          `/admin/teams/${teamB}/on-call`,
          schedule([later.staffId, memberB.staffId]),
        )
      ).status,
    ).toBe(200);
    const who = async () =>
      (await call(api, supervisorB, 'GET', `/admin/teams/${teamB}/on-call?at=2026-01-06T12:00:00Z`)).body
        .staffId;
    expect(await who()).toBe(later.staffId);
    // Promoted to admin afterwards (directly: no route makes a caseworker an admin): passed over.
    await rowsOf(db.url, `UPDATE staff SET role = 'admin' WHERE id = $1`, [later.staffId]);
    expect(await who()).toBe(memberB.staffId);
    expect(
      (await call(api, admin, 'PUT', `/admin/teams/${teamB}/on-call`, schedule([memberB.staffId]))).status,
    ).toBe(200);
  });

  it("refuses acknowledging or resolving team B's escalation for someone alerted who may not read the case, by link too; nothing changes", async () => {
    const hook = await addContact(api, attacker, 'webhook', { url: hooks.url('/attacker') });
    hooks.secrets.set('/attacker', hook.webhookSecret as string);
    // a policy names the attacker directly (as an override would have)
    const policyId = await createPolicy(api, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'staff', staffId: attacker.staffId }] },
        { type: 'wait', seconds: 600 },
      ],
    });
    const caseId = await openCase(db, { severity: 'critical', teamId: teamB, policyId });
    const run = await waitFor(() => runOf(db, caseId), { what: 'escalation run' });
    const alert = await waitFor(() => hooks.at('/attacker')[0], { what: "the attacker's alert" });
    const token = ackTokenIn(alert.text);
    expect((await call(api, attacker, 'POST', `/escalations/${run.id}/acknowledge`)).status).toBe(403);
    expect((await call(api, attacker, 'POST', `/escalations/${run.id}/resolve`)).status).toBe(403);
    expect((await call(api, attacker, 'POST', `/escalations/${run.id}/snooze`, { seconds: 60 })).status).toBe(
      403,
    );
    expect((await call(api, attacker, 'POST', '/escalation-links/acknowledge', { token })).status).toBe(403);
    expect((await runOf(db, caseId))?.state).toBe('active');
    expect(await rowsOf(db.url, `SELECT state FROM cases WHERE id = $1`, [caseId])).toEqual([
      { state: 'open' },
    ]);
    expect(
      await rowsOf(
        db.url,
        `SELECT kind FROM escalation_run_events WHERE run_id = $1 AND kind IN ('acknowledged', 'resolved', 'snoozed')`,
        [run.id],
      ),
    ).toEqual([]);
    // team B's member can
    expect((await call(api, memberB, 'POST', `/escalations/${run.id}/acknowledge`)).status).toBe(200);
  });

  it('adds a team membership only after a second admin approves; removes it at once, sessions included', async () => {
    const joiner = await signedInStaff(api, db, { role: 'caseworker', teams: [teamA] });
    const asked = await call<{ teamIds: string[]; pendingTeamIds: string[] }>(
      api,
      admin,
      'PUT',
      `/admin/staff/${joiner.staffId}/teams`,
      { teamIds: [teamA, teamB] },
    );
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ teamIds: [teamA], pendingTeamIds: [teamB] });
    expect(
      await rowsOf(db.url, 'SELECT team_id FROM staff_teams WHERE staff_id = $1', [joiner.staffId]),
    ).toEqual([{ team_id: teamA }]);
    // not yet a member: team B's schedule cannot name them
    expect(
      (await call(api, admin, 'PUT', `/admin/teams/${teamB}/on-call`, schedule([joiner.staffId]))).status,
    ).toBe(400);
    // the admin who asked cannot approve their own request
    const self = await call<{ reason?: string }>(
      api,
      admin,
      'POST',
      `/admin/staff/${joiner.staffId}/teams/${teamB}/approve`,
    );
    expect(self).toMatchObject({ status: 403, body: { reason: 'staff/second_admin_required' } });
    const approved = await call<{ teamIds: string[]; pendingTeamIds: string[] }>(
      api,
      secondAdmin,
      'POST',
      `/admin/staff/${joiner.staffId}/teams/${teamB}/approve`,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ teamIds: [teamA, teamB].sort(), pendingTeamIds: [] });
    // removal: at once, and every session of the person ends
    expect((await call(api, joiner, 'GET', '/staff/me')).status).toBe(200);
    const removed = await call<{ teamIds: string[] }>(
      api,
      admin,
      'PUT',
      `/admin/staff/${joiner.staffId}/teams`,
      { teamIds: [teamA] },
    );
    expect(removed.body.teamIds).toEqual([teamA]);
    expect(
      await rowsOf(db.url, 'SELECT team_id FROM staff_teams WHERE staff_id = $1 ORDER BY team_id', [
        joiner.staffId,
      ]),
    ).toEqual([{ team_id: teamA }]);
    expect((await call(api, joiner, 'GET', '/staff/me')).status).toBe(401);
  });
  it('lets an admin turn down a pending membership: the person never joins, audited, nothing left pending', async () => {
    const joiner = await signedInStaff(api, db, { role: 'caseworker', teams: [teamA] });
    await call(api, admin, 'PUT', `/admin/staff/${joiner.staffId}/teams`, { teamIds: [teamA, teamB] });
    const rejected = await call<{ teamIds: string[]; pendingTeamIds: string[] }>(
      api,
      secondAdmin,
      'POST',
      `/admin/staff/${joiner.staffId}/teams/${teamB}/reject`,
    );
    expect(rejected).toMatchObject({ status: 200, body: { teamIds: [teamA], pendingTeamIds: [] } });
    expect(
      await rowsOf(db.url, 'SELECT 1 FROM staff_team_requests WHERE staff_id = $1', [joiner.staffId]),
    ).toEqual([]);
    const audit = await rowsOf<{ actor_id: string; details: Record<string, unknown> }>(
      db.url,
      `SELECT actor_id, details FROM audit_log WHERE action = 'staff.teams_changed' AND target_id = $1 AND details->>'change' = 'rejected'`,
      [joiner.staffId],
    );
    expect(audit).toEqual([
      {
        actor_id: secondAdmin.staffId,
        details: { teamId: teamB, change: 'rejected', requestedBy: admin.staffId },
      },
    ]);
    // Nothing to approve or reject any more; a non-admin cannot reject at all.
    for (const verb of ['approve', 'reject'])
      expect(
        (await call(api, secondAdmin, 'POST', `/admin/staff/${joiner.staffId}/teams/${teamB}/${verb}`))
          .status,
      ).toBe(404);
    await call(api, admin, 'PUT', `/admin/staff/${joiner.staffId}/teams`, { teamIds: [teamA, teamB] });
    expect(
      (await call(api, supervisorB, 'POST', `/admin/staff/${joiner.staffId}/teams/${teamB}/reject`)).status,
    ).toBe(403);
    expect(
      await rowsOf(db.url, 'SELECT team_id FROM staff_team_requests WHERE staff_id = $1', [joiner.staffId]),
    ).toEqual([{ team_id: teamB }]);
  });
});
