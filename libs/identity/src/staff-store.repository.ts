import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Staff, StaffInvitation, Team } from '@panah/db';
import { StaffRole, StaffStatus } from '@panah/domain';

/** What admins see of an account: never key material, hashes or secrets. */
export interface StaffView {
  readonly id: string;
  readonly login: string;
  readonly label: string;
  readonly role: StaffRole;
  readonly status: StaffStatus;
  readonly teamIds: string[];
  /** Memberships an admin asked for that wait for a second admin's approval. */
  readonly pendingTeamIds: string[];
  readonly invitedBy: string | null;
  readonly approvedBy: string | null;
  readonly createdAt: string;
  readonly approvedAt: string | null;
  readonly statusChangedAt: string | null;
}

export function staffView(s: Staff, teamIds: string[], pendingTeamIds: string[] = []): StaffView {
  return {
    id: s.id,
    login: s.login,
    label: s.label,
    role: s.role as StaffRole,
    status: s.status as StaffStatus,
    teamIds,
    pendingTeamIds,
    invitedBy: s.invitedBy,
    approvedBy: s.approvedBy,
    createdAt: s.createdAt.toISOString(),
    approvedAt: s.approvedAt?.toISOString() ?? null,
    statusChangedAt: s.statusChangedAt?.toISOString() ?? null,
  };
}

/** Serialises bootstrap against setup-link registration (a constant pg advisory lock key). */
export const BOOTSTRAP_LOCK = 7_346_310_001;

/** The columns a registration writes (staff-registration.service.ts). */
export interface RegisteredStaffRow {
  readonly id: string;
  readonly login: string;
  readonly label: string;
  readonly role: StaffRole;
  readonly status: StaffStatus;
  readonly kdfSalt: string;
  readonly authKeyHash: string;
  readonly boxPk: string;
  readonly signPk: string;
  readonly protectedSecret: string;
  readonly totpSecret: string;
  readonly totpLastStep: number;
  readonly invitedBy: string | null;
  readonly invitationId: string;
  readonly statusChangedAt: Date;
}

/** Single-purpose queries over staff, teams and invitations (every method takes the caller's manager). */
@Injectable()
export class StaffStore {
  findByLogin(m: EntityManager, login: string): Promise<Staff | null> {
    return m.getRepository(Staff).findOne({ where: { login } });
  }

  findById(m: EntityManager, id: string): Promise<Staff | null> {
    return m.getRepository(Staff).findOne({ where: { id } });
  }

  /** Locks the row for the rest of the transaction, so two admins cannot race on one account. */
  lockById(m: EntityManager, id: string): Promise<Staff | null> {
    return m.getRepository(Staff).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Accounts (optionally of one status), oldest first, at most 1000. */
  listStaff(m: EntityManager, status?: StaffStatus): Promise<Staff[]> {
    return m
      .getRepository(Staff)
      .find({ where: status ? { status } : {}, order: { createdAt: 'ASC' }, take: 1000 });
  }

  async updateStaff(m: EntityManager, staffId: string, patch: Partial<Staff>): Promise<void> {
    await m.getRepository(Staff).update({ id: staffId }, patch);
  }

  async deleteRecoveryCodes(m: EntityManager, staffId: string): Promise<void> {
    await m.query(`DELETE FROM staff_recovery_codes WHERE staff_id = $1`, [staffId]);
  }

  /** Each person's team ids, sorted. */
  async teamIdsByStaff(m: EntityManager, staffIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = (await m.query(
      `SELECT staff_id, team_id FROM staff_teams WHERE staff_id = ANY($1::uuid[]) ORDER BY team_id`,
      [[...staffIds]],
    )) as { staff_id: string; team_id: string }[];
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.staff_id, [...(out.get(r.staff_id) ?? []), r.team_id]);
    return out;
  }

  async teamIdsOf(m: EntityManager, staffId: string): Promise<string[]> {
    const rows = (await m.query(`SELECT team_id FROM staff_teams WHERE staff_id = $1 ORDER BY team_id`, [
      staffId,
    ])) as { team_id: string }[];
    return rows.map((r) => r.team_id);
  }

  async teamsOf(m: EntityManager, staffId: string): Promise<{ id: string; name: string }[]> {
    return (await m.query(
      `SELECT t.id, t.name FROM staff_teams st JOIN teams t ON t.id = st.team_id WHERE st.staff_id = $1 ORDER BY t.name`,
      [staffId],
    )) as { id: string; name: string }[];
  }

  /** Ends the given memberships at once; returns the team ids that were removed. */
  async removeTeams(m: EntityManager, staffId: string, teamIds: readonly string[]): Promise<string[]> {
    if (teamIds.length === 0) return [];
    const rows = (await m.query(
      `DELETE FROM staff_teams WHERE staff_id = $1 AND team_id = ANY($2::uuid[]) RETURNING team_id`,
      [staffId, [...teamIds]],
    )) as [{ team_id: string }[], number];
    return rows[0].map((r) => r.team_id).sort();
  }

  async pendingTeamIdsOf(m: EntityManager, staffIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = (await m.query(
      `SELECT staff_id, team_id FROM staff_team_requests WHERE staff_id = ANY($1::uuid[]) ORDER BY team_id`,
      [[...staffIds]],
    )) as {
      staff_id: string;
      team_id: string;
    }[];
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.staff_id, [...(out.get(r.staff_id) ?? []), r.team_id]);
    return out;
  }

  /**
   * Makes `teamIds` the person's pending memberships: requests not listed are withdrawn, new ones
   * are recorded as asked for by `requestedBy` (an existing request keeps its requester).
   * Returns the ids newly requested.
   */
  async requestTeams(
    m: EntityManager,
    staffId: string,
    teamIds: readonly string[],
    requestedBy: string,
  ): Promise<string[]> {
    await m.query(`DELETE FROM staff_team_requests WHERE staff_id = $1 AND NOT (team_id = ANY($2::uuid[]))`, [
      staffId,
      [...teamIds],
    ]);
    const rows = (await m.query(
      `INSERT INTO staff_team_requests (staff_id, team_id, requested_by) SELECT $1, id, $3 FROM teams WHERE id = ANY($2::uuid[])
       ON CONFLICT (staff_id, team_id) DO NOTHING RETURNING team_id`,
      [staffId, [...teamIds], requestedBy],
    )) as { team_id: string }[];
    return rows.map((r) => r.team_id).sort();
  }

  /** Takes a pending request out (to grant it); returns who asked for it, or null if none. */
  async takeTeamRequest(m: EntityManager, staffId: string, teamId: string): Promise<string | null> {
    const rows = (await m.query(
      `DELETE FROM staff_team_requests WHERE staff_id = $1 AND team_id = $2 RETURNING requested_by`,
      [staffId, teamId],
    )) as [{ requested_by: string }[], number];
    return rows[0][0]?.requested_by ?? null;
  }

  async addTeam(m: EntityManager, staffId: string, teamId: string): Promise<void> {
    await m.query(`INSERT INTO staff_teams (staff_id, team_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      staffId,
      teamId,
    ]);
  }

  /** Replaces memberships with the given teams that exist; returns the ids actually set. */
  async setTeams(m: EntityManager, staffId: string, teamIds: readonly string[]): Promise<string[]> {
    await m.query(`DELETE FROM staff_teams WHERE staff_id = $1`, [staffId]);
    const rows = (await m.query(
      `INSERT INTO staff_teams (staff_id, team_id) SELECT $1, id FROM teams WHERE id = ANY($2::uuid[]) RETURNING team_id`,
      [staffId, [...teamIds]],
    )) as { team_id: string }[];
    return rows.map((r) => r.team_id).sort();
  }

  async missingTeams(m: EntityManager, teamIds: readonly string[]): Promise<string[]> {
    if (teamIds.length === 0) return [];
    const found = await m
      .getRepository(Team)
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.id = ANY(:ids)', { ids: [...teamIds] })
      .getRawMany<{ id: string }>();
    const have = new Set(found.map((f) => f.id));
    return teamIds.filter((id) => !have.has(id));
  }

  async activeAdminExists(m: EntityManager): Promise<boolean> {
    const rows = (await m.query(`SELECT 1 FROM staff WHERE role = $1 AND status = $2 LIMIT 1`, [
      StaffRole.Admin,
      StaffStatus.Active,
    ])) as unknown[];
    return rows.length > 0;
  }

  /**
   * Records a TOTP step as used if it is later than the stored one and the account is still
   * active; false means a concurrent sign-in already used this (or a later) step.
   */
  async claimTotpStep(m: EntityManager, staffId: string, step: number): Promise<boolean> {
    const [, count] = (await m.query(
      `UPDATE staff SET totp_last_step = $2 WHERE id = $1 AND status = $3 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [staffId, step, StaffStatus.Active],
    )) as [unknown, number];
    return count === 1;
  }

  /** Marks a recovery code used; false if it is unknown or already used. */
  async claimRecoveryCode(m: EntityManager, staffId: string, digest: string, now: Date): Promise<boolean> {
    const [, count] = (await m.query(
      `UPDATE staff_recovery_codes SET used_at = $3 WHERE staff_id = $1 AND code_digest = $2 AND used_at IS NULL`,
      [staffId, digest, now],
    )) as [unknown, number];
    return count === 1;
  }

  async hasUnusedRecoveryCode(m: EntityManager, staffId: string, digest: string): Promise<boolean> {
    const rows = (await m.query(
      `SELECT 1 FROM staff_recovery_codes WHERE staff_id = $1 AND code_digest = $2 AND used_at IS NULL`,
      [staffId, digest],
    )) as unknown[];
    return rows.length > 0;
  }

  lockInvitationByDigest(m: EntityManager, digest: string): Promise<StaffInvitation | null> {
    return m
      .getRepository(StaffInvitation)
      .findOne({ where: { tokenDigest: digest }, lock: { mode: 'pessimistic_write' } });
  }

  /** Serialises bootstrap against setup-link registration (a constant advisory lock key). */
  async lockBootstrap(m: EntityManager): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
  }

  async revokeInvitation(m: EntityManager, invitationId: string): Promise<void> {
    await m.query(`UPDATE staff_invitations SET revoked_at = now() WHERE id = $1`, [invitationId]);
  }

  /** Revokes every setup link not yet used; returns how many. */
  async revokePendingSetupLinks(m: EntityManager): Promise<number> {
    const [, revoked] = (await m.query(
      `UPDATE staff_invitations SET revoked_at = now() WHERE kind = 'setup' AND used_at IS NULL AND revoked_at IS NULL`,
    )) as [unknown, number];
    return revoked;
  }

  /** Setup links still usable: how many, and the latest expiry among them. */
  async pendingSetupLinks(m: EntityManager): Promise<{ n: number; until: Date | null }> {
    const rows = (await m.query(
      `SELECT count(*)::int AS n, max(expires_at) AS until FROM staff_invitations
        WHERE kind = 'setup' AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
    )) as { n: number; until: Date | null }[];
    return { n: rows[0]?.n ?? 0, until: rows[0]?.until ?? null };
  }

  /** The account a registration creates (key material as the client derived it). */
  async insertRegistered(m: EntityManager, row: RegisteredStaffRow): Promise<void> {
    await m.query(
      `INSERT INTO staff (id, login, label, role, status, kdf_salt, auth_key_hash, box_pk, sign_pk, protected_secret,
                          totp_secret, totp_last_step, invited_by, invitation_id, status_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        row.id,
        row.login,
        row.label,
        row.role,
        row.status,
        row.kdfSalt,
        row.authKeyHash,
        row.boxPk,
        row.signPk,
        row.protectedSecret,
        row.totpSecret,
        row.totpLastStep,
        row.invitedBy,
        row.invitationId,
        row.statusChangedAt,
      ],
    );
  }

  async insertRecoveryCodes(m: EntityManager, staffId: string, digests: readonly string[]): Promise<void> {
    await m.query(
      `INSERT INTO staff_recovery_codes (id, staff_id, code_digest) SELECT gen_random_uuid(), $1, unnest($2::text[])`,
      [staffId, digests],
    );
  }

  async markInvitationUsed(m: EntityManager, invitationId: string, at: Date, staffId: string): Promise<void> {
    await m.query(`UPDATE staff_invitations SET used_at = $2, used_by = $3 WHERE id = $1`, [
      invitationId,
      at,
      staffId,
    ]);
  }
}
