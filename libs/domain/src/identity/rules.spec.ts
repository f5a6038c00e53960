import { StaffRole } from '../principal';
import { loginWorkRequired } from './login-throttle';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, sessionExpiresAt, sessionState } from './session';
import { isTeamLanguage, isTeamRegion } from './team';
import { totpStep, totpStepAcceptable } from './totp';
import { canAssignCase, canSeeCase } from './visibility';

describe('TOTP replay rule', () => {
  it('accepts a code only for a step after the last one used', () => {
    expect(totpStepAcceptable(100, null)).toBe(true);
    expect(totpStepAcceptable(101, 100)).toBe(true);
    expect(totpStepAcceptable(100, 100)).toBe(false);
    expect(totpStepAcceptable(99, 100)).toBe(false);
  });

  it('counts 30-second steps from the epoch', () => {
    expect(totpStep(new Date(59_999))).toBe(1);
    expect(totpStep(new Date(60_000))).toBe(2);
  });
});

describe('staff sessions', () => {
  const created = new Date('2026-01-01T08:00:00Z');
  const at = (ms: number) => new Date(created.getTime() + ms);

  it('expire after 30 idle minutes', () => {
    const s = { createdAt: created, lastSeenAt: at(60_000), revokedAt: null };
    expect(sessionState(s, at(60_000 + SESSION_IDLE_MS - 1))).toBe('live');
    expect(sessionState(s, at(60_000 + SESSION_IDLE_MS))).toBe('idle_expired');
  });

  it('expire 12 hours after sign-in however busy', () => {
    const s = { createdAt: created, lastSeenAt: at(SESSION_ABSOLUTE_MS - 1000), revokedAt: null };
    expect(sessionState(s, at(SESSION_ABSOLUTE_MS))).toBe('absolute_expired');
    expect(sessionExpiresAt(s)).toEqual(at(SESSION_ABSOLUTE_MS));
  });

  it('end at once when revoked', () => {
    expect(sessionState({ createdAt: created, lastSeenAt: created, revokedAt: created }, created)).toBe(
      'revoked',
    );
  });
});

describe('login throttling', () => {
  const policy = { freeAttempts: 5, powBits: 18 };
  const at = (pair: number, account: number, source: number) =>
    loginWorkRequired({ pair, account, source }, policy);

  it('lets the first attempts of a login name from a source through without work', () => {
    expect([1, 2, 3, 4, 5].map((n) => at(n, n, n))).toEqual([null, null, null, null, null]);
  });

  it('demands a proof of work, never a refusal, past the free attempts, growing with the source', () => {
    expect(at(6, 6, 6)).toBe(18);
    expect(at(10, 10, 10)).toBe(19);
    expect(at(20, 20, 20)).toBe(20);
    expect(at(10_000, 10_000, 10_000)).toBe(24); // capped: 6 extra bits
  });

  it('asks the owner on a fresh source for the base work only, however many attempts came from elsewhere', () => {
    expect(at(1, 20, 1)).toBe(null);
    expect(at(1, 21, 1)).toBe(18);
    expect(at(1, 1_000_000, 1)).toBe(18);
  });

  it('bounds one source spraying many login names', () => {
    expect(at(1, 1, 60)).toBe(null);
    expect(at(1, 1, 61)).toBe(18);
    expect(at(1, 1, 240)).toBe(20);
  });
});

describe('case visibility', () => {
  const c = { teamId: 't1', assigneeIds: ['cw2'] };
  it('shows admins no case at all', () => {
    expect(canSeeCase({ staffId: 'a', role: StaffRole.Admin, teamIds: ['t1'] }, c)).toBe(false);
  });
  it('shows supervisors the cases of their teams only', () => {
    expect(canSeeCase({ staffId: 's', role: StaffRole.Supervisor, teamIds: ['t1'] }, c)).toBe(true);
    expect(canSeeCase({ staffId: 's', role: StaffRole.Supervisor, teamIds: ['t2'] }, c)).toBe(false);
    expect(canAssignCase({ staffId: 's', role: StaffRole.Supervisor, teamIds: ['t1'] }, c)).toBe(true);
  });
  it('shows caseworkers cases routed to their teams or assigned to them', () => {
    expect(canSeeCase({ staffId: 'cw1', role: StaffRole.Caseworker, teamIds: ['t1'] }, c)).toBe(true);
    expect(canSeeCase({ staffId: 'cw2', role: StaffRole.Caseworker, teamIds: [] }, c)).toBe(true);
    expect(canSeeCase({ staffId: 'cw3', role: StaffRole.Caseworker, teamIds: ['t2'] }, c)).toBe(false);
    expect(canAssignCase({ staffId: 'cw1', role: StaffRole.Caseworker, teamIds: ['t1'] }, c)).toBe(false);
  });
});

describe('team routing attributes', () => {
  it('use the hint vocabularies', () => {
    expect(isTeamRegion('AF')).toBe(true);
    expect(isTeamRegion('XX')).toBe(false);
    expect(isTeamRegion('af')).toBe(false);
    expect(isTeamLanguage('prs')).toBe(true);
    expect(isTeamLanguage('xx')).toBe(false);
  });
});
