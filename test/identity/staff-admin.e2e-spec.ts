import { randomUUID } from 'node:crypto';
import { type RunningApp, startApi } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, type TestDatabase } from '../support/database';
import { createStaffRow, ensureTeam, nextTotpCode, signedInStaff, type TestStaff } from '../support/staff';

/** Admin actions on accounts and teams, session expiry, and hostile input. */
describe('staff administration', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let admin: TestStaff;

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${api.url}/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { fields?: { path: string }[] },
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(testConfig(db.url));
    admin = await signedInStaff(api, db, { role: 'admin' });
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('ends sessions after 30 idle minutes and 12 hours after sign-in', async () => {
    const idle = await signedInStaff(api, db, { role: 'caseworker' });
    const long = await signedInStaff(api, db, { role: 'caseworker' });
    expect((await call('GET', '/staff/me', idle.token)).status).toBe(200);
    const client = await sql(db.url);
    await client.query(
      `UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes' WHERE staff_id = $1`,
      [idle.staffId],
    );
    await client.query(
      `UPDATE staff_sessions SET created_at = now() - interval '12 hours 1 minute' WHERE staff_id = $1`,
      [long.staffId],
    );
    await client.close();
    expect((await call('GET', '/staff/me', idle.token)).status).toBe(401);
    expect((await call('GET', '/staff/me', long.token)).status).toBe(401);
  });

  it('applies a role change on the very next request', async () => {
    const other = await signedInStaff(api, db, { role: 'admin' });
    expect((await call('GET', '/admin/staff', other.token)).status).toBe(200);
    const demoted = await call('PUT', `/admin/staff/${other.staffId}/role`, admin.token, {
      role: 'caseworker',
    });
    expect(demoted.body).toMatchObject({ role: 'caseworker' });
    expect((await call('GET', '/admin/staff', other.token)).status).toBe(403);
    expect((await call('GET', '/staff/me', other.token)).body).toMatchObject({ role: 'caseworker' });
  });

  it("refuses every admin action on one's own account", async () => {
    for (const [method, path, body] of [
      ['POST', 'suspend', undefined],
      ['POST', 'offboard', undefined],
      ['PUT', 'role', { role: 'caseworker' }],
      ['PUT', 'teams', { teamIds: [] }],
    ] as const) {
      const res = await call(method, `/admin/staff/${admin.staffId}/${path}`, admin.token, body);
      expect({ path, status: res.status, reason: res.body.reason }).toEqual({
        path,
        status: 403,
        reason: 'staff/self_action',
      });
    }
  });

  it('offboards for good: sessions end and the credentials are wiped', async () => {
    const leaving = await signedInStaff(api, db, { role: 'supervisor', teams: ['Leavers'] });
    const res = await call('POST', `/admin/staff/${leaving.staffId}/offboard`, admin.token);
    expect(res.body).toMatchObject({ status: 'offboarded' });
    expect((await call('GET', '/staff/me', leaving.token)).status).toBe(401);
    const client = await sql(db.url);
    const row = await client.query(`SELECT auth_key_hash, totp_secret FROM staff WHERE id = $1`, [
      leaving.staffId,
    ]);
    await client.close();
    expect(row.rows[0]).toEqual({ auth_key_hash: null, totp_secret: null });
    const { code } = await nextTotpCode(leaving.totpSecret, leaving.lastStep);
    expect(
      (
        await call('POST', '/staff/login', null, {
          login: leaving.login,
          authKey: leaving.authKey,
          totpCode: code,
        })
      ).status,
    ).toBe(401);
    expect((await call('POST', `/admin/staff/${leaving.staffId}/approve`, admin.token)).status).toBe(409);
  });

  it('moves people between teams (additions once a second admin approves, removals at once) and keeps teams with members from being deleted', async () => {
    const cw = await createStaffRow(api, db, { role: 'caseworker', teams: ['North'] });
    const second = await signedInStaff(api, db, { role: 'admin' });
    const south = await call('POST', '/admin/teams', admin.token, {
      name: 'South',
      regions: ['AF', 'PK'],
      languages: ['ps', 'prs'],
    });
    expect(south.status).toBe(201);
    const many = await Promise.all(Array.from({ length: 8 }, (_, i) => ensureTeam(db, `Extra ${i}`)));
    const wide = await call('PUT', `/admin/staff/${cw.staffId}/teams`, admin.token, { teamIds: many });
    expect(wide.body).toMatchObject({ teamIds: [], pendingTeamIds: [...many].sort() });
    for (const teamId of many)
      expect(
        (await call('POST', `/admin/staff/${cw.staffId}/teams/${teamId}/approve`, second.token)).status,
      ).toBe(200);
    expect((await call('GET', `/admin/staff/${cw.staffId}`, admin.token)).body).toMatchObject({
      teamIds: [...many].sort(),
      pendingTeamIds: [],
    });
    const moved = await call('PUT', `/admin/staff/${cw.staffId}/teams`, admin.token, {
      teamIds: [south.body.id],
    });
    expect(moved.body).toMatchObject({ teamIds: [], pendingTeamIds: [south.body.id] });
    expect(
      (
        await call(
          'POST',
          `/admin/staff/${cw.staffId}/teams/${south.body.id as string}/approve`,
          second.token,
        )
      ).body.teamIds,
    ).toEqual([south.body.id]);
    const audit = await call('GET', '/admin/audit?limit=200', admin.token);
    const changes = (
      audit.body.entries as { action: string; targetId: string; details: { change: string } }[]
    ).filter((e) => e.action === 'staff.teams_changed' && e.targetId === cw.staffId);
    expect(changes.map((e) => e.details.change).sort()).toEqual(
      [...Array(9).fill('added'), ...Array(9).fill('removed'), ...Array(9).fill('requested')].sort(),
    );
    expect((await call('DELETE', `/admin/teams/${south.body.id as string}`, admin.token)).body.reason).toBe(
      'team/in_use',
    );
    const north = await ensureTeam(db, 'North');
    expect((await call('DELETE', `/admin/teams/${north}`, admin.token)).status).toBe(204);
    expect(
      (await call('POST', '/admin/teams', admin.token, { name: 'South', regions: [], languages: [] })).body
        .reason,
    ).toBe('team/name_taken');
    const renamed = await call('PATCH', `/admin/teams/${south.body.id as string}`, admin.token, {
      languages: ['fa'],
    });
    expect(renamed.body).toMatchObject({
      name: 'South',
      regions: ['AF', 'PK'],
      languages: ['fa'],
      members: 1,
    });
  });

  it('answers hostile or malformed input with 400 naming the field, and writes nothing', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/admin/teams', { name: 'X', regions: ['XX'], languages: [] }, 'regions'],
      ['POST', '/admin/teams', { name: 'X', regions: [], languages: ['klingon'] }, 'languages'],
      ['POST', '/admin/teams', { name: 'line\nbreak', regions: [], languages: [] }, 'name'],
      ['POST', '/admin/teams', { name: 'X', regions: 'DE', languages: [] }, 'regions'],
      ['POST', '/admin/invitations', { label: 'A', role: 'root', teamIds: [] }, 'role'],
      [
        'POST',
        '/admin/invitations',
        { label: 'A', role: 'caseworker', teamIds: [randomUUID()] },
        'teamIds[0]',
      ],
      ['POST', '/admin/invitations', { label: 'A', role: 'caseworker', teamIds: ['not-a-uuid'] }, 'teamIds'],
      [
        'POST',
        '/admin/invitations',
        { label: 'A', role: 'caseworker', teamIds: [], expiresInHours: 10_000 },
        'expiresInHours',
      ],
      ['POST', '/admin/invitations', { label: 'A', role: 'caseworker', teamIds: [], extra: 1 }, 'extra'],
      ['PUT', `/admin/staff/${randomUUID()}/role`, { role: 'god' }, 'role'],
      ['POST', '/admin/staff/not-a-uuid/approve', undefined, 'id'],
      ['GET', '/admin/staff?status=bogus', undefined, 'status'],
      ['GET', '/admin/audit?cursor=-1', undefined, 'cursor'],
      ['GET', '/admin/audit?limit=100000', undefined, 'limit'],
      ['POST', '/staff/register', { invitationToken: 'pi_x' }, 'invitationToken'],
    ];
    const client = await sql(db.url);
    const count = async () =>
      Number(
        (
          await client.query(
            `SELECT (SELECT count(*) FROM teams) + (SELECT count(*) FROM staff_invitations) AS n`,
          )
        ).rows[0].n,
      );
    const before = await count();
    for (const [method, path, body, field] of cases) {
      const res = await call(method, path, admin.token, body);
      expect({ path, status: res.status, hasField: res.body.fields?.some((f) => f.path === field) }).toEqual({
        path,
        status: 400,
        hasField: true,
      });
    }
    const broken = await call('POST', '/admin/teams', admin.token, '{"name": ');
    expect(broken.status).toBe(400);
    expect(await count()).toBe(before);
    await client.close();
  });

  it('refuses an empty or whitespace-only team name, team rename, invitation label or policy name with a 400 naming it', async () => {
    const team = await call('POST', '/admin/teams', admin.token, {
      name: 'Blank check',
      regions: [],
      languages: [],
    });
    expect(team.status).toBe(201);
    const teamId = team.body.id as string;
    const blanks = ['', ' ', '   ', '\t', '\u00a0', '\u3000 \u2003'];
    const cases: [string, string, (blank: string) => unknown, string][] = [
      ['POST', '/admin/teams', (name) => ({ name, regions: [], languages: [] }), 'name'],
      ['PATCH', `/admin/teams/${teamId}`, (name) => ({ name }), 'name'],
      ['POST', '/admin/invitations', (label) => ({ label, role: 'caseworker', teamIds: [] }), 'label'],
      ['POST', '/admin/escalation-policies', (name) => ({ name, definition: {} }), 'name'],
    ];
    const client = await sql(db.url);
    const state = async () =>
      (
        await client.query(
          `SELECT (SELECT count(*) FROM teams)::int AS teams, (SELECT count(*) FROM staff_invitations)::int AS invitations,
                  (SELECT count(*) FROM escalation_policies)::int AS policies, (SELECT name FROM teams WHERE id = $1) AS name`,
          [teamId],
        )
      ).rows[0] as unknown;
    const before = await state();
    try {
      for (const [method, path, body, field] of cases)
        for (const blank of blanks) {
          const res = await call(method, path, admin.token, body(blank));
          expect({
            path,
            blank,
            status: res.status,
            code: res.body.code,
            named: res.body.fields?.some((f) => f.path === field),
          }).toEqual({
            path,
            blank,
            status: 400,
            code: 'request/validation_failed',
            named: true,
          });
        }
      expect(await state()).toEqual(before);
      // A name with spaces inside is still a name.
      const renamed = await call('PATCH', `/admin/teams/${teamId}`, admin.token, { name: 'Blank  check 2' });
      expect(renamed.status).toBe(200);
    } finally {
      await client.close();
    }
  });
});
