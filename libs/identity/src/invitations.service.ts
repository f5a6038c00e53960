import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { StaffInvitation } from '@panah/db';
import {
  AuditAction,
  DomainError,
  ErrorCode,
  IdentityReason,
  INVITATION_DEFAULT_TTL_HOURS,
  SETUP_DEFAULT_TTL_MINUTES,
  StaffRole,
  validationError,
} from '@panah/domain';
import { newToken, TokenKind, tokenDigest } from '@panah/security';
import { StaffStore } from './staff-store.repository';

export interface InvitationView {
  readonly id: string;
  readonly kind: 'invitation' | 'setup';
  readonly label: string;
  readonly role: StaffRole;
  readonly teamIds: string[];
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly expired: boolean;
}

export interface CreatedInvitation {
  readonly invitationId: string;
  /** Shown once to the inviting admin, who hands it over out of band; only a digest is stored. */
  readonly token: string;
  readonly expiresAt: Date;
}

function view(i: StaffInvitation, now: Date): InvitationView {
  return {
    id: i.id,
    kind: i.kind as 'invitation' | 'setup',
    label: i.label,
    role: i.role as StaffRole,
    teamIds: i.teamIds,
    createdBy: i.createdBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    expired: i.expiresAt.getTime() <= now.getTime(),
  };
}

/** Admin invitations: single use, expiring, revocable, stored as token digests. */
@Injectable()
export class Invitations {
  constructor(
    private readonly ds: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly store: StaffStore,
    private readonly audit: AuditLog,
  ) {}

  async create(
    actorId: string,
    input: { label: string; role: StaffRole; teamIds: readonly string[]; expiresInHours?: number },
  ): Promise<CreatedInvitation> {
    const teamIds = [...new Set(input.teamIds)];
    return this.ds.transaction(async (m) => {
      const missing = await this.store.missingTeams(m, teamIds);
      if (missing.length > 0) {
        throw validationError(
          missing.map((id) => ({ path: `teamIds[${input.teamIds.indexOf(id)}]`, message: 'no such team' })),
        );
      }
      const token = newToken(TokenKind.Invitation);
      const id = randomUUID();
      const expiresAt = new Date(
        Date.now() + (input.expiresInHours ?? INVITATION_DEFAULT_TTL_HOURS) * 3_600_000,
      );
      await m.getRepository(StaffInvitation).insert({
        id,
        kind: 'invitation',
        tokenDigest: tokenDigest(token, this.config.tokenKey),
        label: input.label,
        role: input.role,
        teamIds,
        createdBy: actorId,
        expiresAt,
      });
      await this.audit.append(m, {
        actorType: 'staff',
        actorId,
        action: AuditAction.InvitationCreated,
        targetType: 'invitation',
        targetId: id,
        details: { role: input.role, teams: teamIds.length },
      });
      return { invitationId: id, token, expiresAt };
    });
  }

  /** Invitations not yet used or revoked (expired ones too, flagged, so admins can tidy up). */
  async listOpen(): Promise<InvitationView[]> {
    const rows = await this.ds
      .getRepository(StaffInvitation)
      .createQueryBuilder('i')
      .where('i.used_at IS NULL AND i.revoked_at IS NULL')
      .orderBy('i.created_at', 'DESC')
      .limit(500)
      .getMany();
    const now = new Date();
    return rows.map((r) => view(r, now));
  }

  async revoke(actorId: string, id: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const inv = await m
        .getRepository(StaffInvitation)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!inv) throw new DomainError(ErrorCode.NotFound, 'No such invitation');
      if (inv.usedAt)
        throw new DomainError(
          ErrorCode.Conflict,
          'The invitation has already been used',
          [],
          IdentityReason.InvitationUsed,
        );
      if (inv.revokedAt) return;
      await this.store.revokeInvitation(m, id);
      await this.audit.append(m, {
        actorType: 'staff',
        actorId,
        action: AuditAction.InvitationRevoked,
        targetType: 'invitation',
        targetId: id,
      });
    });
  }
}

export interface SetupLinks {
  readonly tokens: { readonly invitationId: string; readonly token: string }[];
  readonly expiresAt: Date;
  /** Earlier setup links that were still open and are now revoked. */
  readonly revoked: number;
}

/**
 * `panah admin bootstrap`: one-time setup links for the founding admins, refused once an active
 * admin exists. Runs against the database directly (there is nobody to sign in as yet). Accounts
 * registered through these links start active: there is no admin yet who could vet them, and the
 * operator running this with database access is the trust anchor. Two links by default, so the
 * deployment starts with the two admins that four-eyes vetting needs. Issuing new links revokes
 * any earlier open ones.
 */
export async function createSetupLinks(
  ds: DataSource,
  config: PanahConfig,
  options: { count: number; ttlMinutes?: number },
): Promise<SetupLinks> {
  const audit = new AuditLog(ds);
  const store = new StaffStore();
  return ds.transaction(async (m) => {
    await store.lockBootstrap(m);
    if (await store.activeAdminExists(m)) {
      throw new DomainError(
        ErrorCode.Conflict,
        'An active admin exists: bootstrap is only for a deployment without admins; invite people through the API instead',
        [],
        IdentityReason.AdminExists,
      );
    }
    const revoked = await store.revokePendingSetupLinks(m);
    const expiresAt = new Date(Date.now() + (options.ttlMinutes ?? SETUP_DEFAULT_TTL_MINUTES) * 60_000);
    const tokens = [];
    for (let i = 1; i <= options.count; i++) {
      const token = newToken(TokenKind.Setup);
      const invitationId = randomUUID();
      await m.getRepository(StaffInvitation).insert({
        id: invitationId,
        kind: 'setup',
        tokenDigest: tokenDigest(token, config.tokenKey),
        label: `Founding admin ${i} of ${options.count}`,
        role: StaffRole.Admin,
        teamIds: [],
        createdBy: null,
        expiresAt,
      });
      await audit.append(m, {
        actorType: 'system',
        actorId: null,
        action: AuditAction.SetupLinkCreated,
        targetType: 'invitation',
        targetId: invitationId,
        details: { revokedEarlier: revoked },
      });
      tokens.push({ invitationId, token });
    }
    return { tokens, expiresAt, revoked };
  });
}

/**
 * Where bootstrap stands, for `panah setup`: whether an active admin exists, and the founding
 * admins' setup links still usable (issued, unused, unrevoked, unexpired).
 */
export async function bootstrapState(
  ds: DataSource,
): Promise<{ activeAdmin: boolean; pendingLinks: number; pendingUntil: Date | null }> {
  const activeAdmin = await new StaffStore().activeAdminExists(ds.manager);
  const links = await new StaffStore().pendingSetupLinks(ds.manager);
  return { activeAdmin, pendingLinks: links.n, pendingUntil: links.until };
}
