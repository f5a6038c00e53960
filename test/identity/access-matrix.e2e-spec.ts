import { randomBytes, randomUUID } from 'node:crypto';
import type { AccessPolicy } from '@panah/domain';
import { routePolicies } from '../support/routes';
import { type RunningApp, startApi } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { signedInStaff } from '../support/staff';

type Caller = 'anonymous' | 'reporter' | 'caseworker' | 'supervisor' | 'admin' | 'suspended';
const CALLERS: Caller[] = ['anonymous', 'reporter', 'caseworker', 'supervisor', 'admin', 'suspended'];
const STAFF: Caller[] = ['caseworker', 'supervisor', 'admin'];
const EVERYONE: Caller[] = CALLERS;

interface Endpoint {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** Who gets past the guard … */
  readonly allowed: readonly Caller[];
  /** … and what they then get for this (deliberately harmless) request. */
  readonly status: number;
}

const id = randomUUID();
/**
 * Every identity and audit endpoint with who may call it. Requests are harmless on purpose
 * (unknown ids, empty bodies), so what is measured is the guard. `logout` runs last, since it
 * ends the caller's session.
 */
const ENDPOINTS: Endpoint[] = [
  {
    route: 'StaffAuthController.prelogin',
    method: 'POST',
    path: '/v1/staff/prelogin',
    body: {},
    allowed: EVERYONE,
    status: 400,
  },
  {
    route: 'StaffAuthController.signIn',
    method: 'POST',
    path: '/v1/staff/login',
    body: {},
    allowed: EVERYONE,
    status: 400,
  },
  {
    route: 'StaffAuthController.register',
    method: 'POST',
    path: '/v1/staff/register',
    body: {},
    allowed: EVERYONE,
    status: 400,
  },
  { route: 'StaffAuthController.me', method: 'GET', path: '/v1/staff/me', allowed: STAFF, status: 200 },
  {
    route: 'AdminStaffController.invite',
    method: 'POST',
    path: '/v1/admin/invitations',
    body: {},
    allowed: ['admin'],
    status: 400,
  },
  {
    route: 'AdminStaffController.listInvitations',
    method: 'GET',
    path: '/v1/admin/invitations',
    allowed: ['admin'],
    status: 200,
  },
  {
    route: 'AdminStaffController.revokeInvitation',
    method: 'DELETE',
    path: `/v1/admin/invitations/${id}`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.list',
    method: 'GET',
    path: '/v1/admin/staff',
    allowed: ['admin'],
    status: 200,
  },
  {
    route: 'AdminStaffController.get',
    method: 'GET',
    path: `/v1/admin/staff/${id}`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.approve',
    method: 'POST',
    path: `/v1/admin/staff/${id}/approve`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.reject',
    method: 'POST',
    path: `/v1/admin/staff/${id}/reject`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.suspend',
    method: 'POST',
    path: `/v1/admin/staff/${id}/suspend`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.offboard',
    method: 'POST',
    path: `/v1/admin/staff/${id}/offboard`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.changeRole',
    method: 'PUT',
    path: `/v1/admin/staff/${id}/role`,
    body: { role: 'admin' },
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.approveTeam',
    method: 'POST',
    path: `/v1/admin/staff/${id}/teams/${id}/approve`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.rejectTeam',
    method: 'POST',
    path: `/v1/admin/staff/${id}/teams/${id}/reject`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminStaffController.changeTeams',
    method: 'PUT',
    path: `/v1/admin/staff/${id}/teams`,
    body: { teamIds: [] },
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminTeamsController.create',
    method: 'POST',
    path: '/v1/admin/teams',
    body: {},
    allowed: ['admin'],
    status: 400,
  },
  {
    route: 'AdminTeamsController.list',
    method: 'GET',
    path: '/v1/admin/teams',
    allowed: ['admin'],
    status: 200,
  },
  {
    route: 'AdminTeamsController.get',
    method: 'GET',
    path: `/v1/admin/teams/${id}`,
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminTeamsController.update',
    method: 'PATCH',
    path: `/v1/admin/teams/${id}`,
    body: {},
    allowed: ['admin'],
    status: 404,
  },
  {
    route: 'AdminTeamsController.remove',
    method: 'DELETE',
    path: `/v1/admin/teams/${id}`,
    allowed: ['admin'],
    status: 404,
  },
  { route: 'AuditController.page', method: 'GET', path: '/v1/admin/audit', allowed: ['admin'], status: 200 },
  // Case work (issue 15): the guard lets staff of these roles through; the case itself then decides (404 for anyone who cannot read it).
  {
    route: 'CasesController.list',
    method: 'GET',
    path: '/v1/cases',
    allowed: ['caseworker', 'supervisor'],
    status: 200,
  },
  {
    route: 'CasesController.view',
    method: 'GET',
    path: `/v1/cases/${id}`,
    allowed: ['caseworker', 'supervisor'],
    status: 404,
  },
  {
    route: 'CaseworkController.putMessage',
    method: 'PUT',
    path: `/v1/cases/${id}/messages/${id}`,
    body: {},
    allowed: ['caseworker', 'supervisor'],
    status: 400,
  },
  {
    route: 'CaseworkController.putNote',
    method: 'PUT',
    path: `/v1/cases/${id}/notes/${id}`,
    body: {},
    allowed: ['caseworker', 'supervisor'],
    status: 400,
  },
  {
    route: 'CaseworkController.recipients',
    method: 'GET',
    path: `/v1/cases/${id}/recipients`,
    allowed: ['caseworker', 'supervisor'],
    status: 404,
  },
  {
    route: 'CaseworkController.attachment',
    method: 'GET',
    path: `/v1/cases/${id}/attachments/${id}`,
    allowed: ['caseworker', 'supervisor'],
    status: 404,
  },
  {
    route: 'CaseworkController.assign',
    method: 'POST',
    path: `/v1/cases/${id}/assign`,
    body: {},
    allowed: ['caseworker', 'supervisor'],
    status: 400,
  },
  {
    route: 'CaseworkController.handOver',
    method: 'POST',
    path: `/v1/cases/${id}/handover`,
    body: {},
    allowed: ['caseworker', 'supervisor'],
    status: 400,
  },
  {
    route: 'CaseworkController.grants',
    method: 'PUT',
    path: `/v1/cases/${id}/grants`,
    body: {},
    allowed: ['caseworker', 'supervisor'],
    status: 400,
  },
  { route: 'StaffKeysController.list', method: 'GET', path: '/v1/keys/staff', allowed: STAFF, status: 200 },
  {
    route: 'StaffKeysController.byKid',
    method: 'GET',
    path: '/v1/keys/staff/AAAAAAAAAAAAAAAAAAAAAA',
    allowed: STAFF,
    status: 404,
  },
  // The matrix's reporter token matches no session: a reporter route answers it 401 like anyone else.
  {
    route: 'ReporterMessagesController.put',
    method: 'PUT',
    path: `/v1/reports/${id}/messages/${id}`,
    body: {},
    allowed: ['reporter'],
    status: 401,
  },
  {
    route: 'StaffAuthController.logout',
    method: 'POST',
    path: '/v1/staff/logout',
    allowed: STAFF,
    status: 204,
  },
];
const MATRIX_CONTROLLERS = new Set(ENDPOINTS.map((e) => e.route.split('.')[0]));

/** 401 without a usable session, 403 with a session of the wrong kind or role. */
function expected(e: Endpoint, caller: Caller): number {
  if (e.allowed.includes(caller)) return e.status;
  return caller === 'anonymous' || caller === 'reporter' || caller === 'suspended' ? 401 : 403;
}

function allowedBy(policy: AccessPolicy | undefined): Caller[] {
  if (!policy) return [];
  switch (policy.kind) {
    case 'public':
      return EVERYONE;
    case 'reporter':
      return ['reporter'];
    case 'staff':
      return STAFF.filter((c) => (policy.roles as readonly string[]).includes(c));
  }
}

describe('access-control matrix: identity, audit and case-work endpoints × callers', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const tokens = {} as Record<Caller, string | null>;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(testConfig(db.url));
    const admin = await signedInStaff(api, db, { role: 'admin' });
    const suspended = await signedInStaff(api, db, { role: 'caseworker', teams: ['Matrix team'] });
    const res = await fetch(`${api.url}/v1/admin/staff/${suspended.staffId}/suspend`, {
      method: 'POST',
      headers: admin.headers,
    });
    expect(res.status).toBe(200);
    tokens.anonymous = null;
    // A well-formed reporter token that no session matches: never lets anyone in.
    tokens.reporter = `pr_${randomBytes(32).toString('base64url')}`;
    tokens.caseworker = (await signedInStaff(api, db, { role: 'caseworker', teams: ['Matrix team'] })).token;
    tokens.supervisor = (await signedInStaff(api, db, { role: 'supervisor', teams: ['Matrix team'] })).token;
    tokens.admin = admin.token;
    tokens.suspended = suspended.token;
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('covers every endpoint of these controllers, with the roles each one declares', () => {
    const declared = routePolicies(api.app).filter((r) => MATRIX_CONTROLLERS.has(r.route.split('.')[0]));
    expect(declared.map((r) => r.route).sort()).toEqual(ENDPOINTS.map((e) => e.route).sort());
    for (const r of declared) {
      const e = ENDPOINTS.find((x) => x.route === r.route);
      expect({ route: r.route, allowed: allowedBy(r.policy) }).toEqual({
        route: r.route,
        allowed: [...(e?.allowed ?? [])],
      });
    }
  });

  it('answers every endpoint × caller with the expected status', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const e of ENDPOINTS) {
      for (const caller of CALLERS) {
        const token = tokens[caller];
        const res = await fetch(`${api.url}${e.path}`, {
          method: e.method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(e.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: e.body !== undefined ? JSON.stringify(e.body) : undefined,
        });
        await res.arrayBuffer();
        got.push(`${e.method} ${e.path} as ${caller} → ${res.status}`);
        want.push(`${e.method} ${e.path} as ${caller} → ${expected(e, caller)}`);
      }
    }
    expect(got).toEqual(want);
  });
});
