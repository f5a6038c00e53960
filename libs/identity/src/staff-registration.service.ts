import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  AuditAction,
  DomainError,
  ErrorCode,
  IdentityReason,
  initialStatusFor,
  InvitationKind,
  invitationUsability,
  StaffRole,
  StaffStatus,
} from '@panah/domain';
import { TokenKind, tokenDigest, tokenKind } from '@panah/security';
import { Argon2Pool } from './argon2-pool';
import { b64uField, uniqueViolation } from './fields';
import { newRecoveryCodes, recoveryCodeDigest } from './recovery-codes';
import { TotpSecretBox } from './secret-box';
import { StaffStore } from './staff-store.repository';
import { matchTotp } from './totp';

/** What the invitee's client uploads (crypto-v1 §4); the password itself never leaves the device. */
export interface RegistrationInput {
  readonly invitationToken: string;
  /** Client-chosen (it is bound into protectedSecret's AD before the server sees anything). */
  readonly staffId: string;
  readonly login: string;
  readonly kdfSalt: string;
  readonly authKey: string;
  readonly boxPk: string;
  readonly signPk: string;
  readonly protectedSecret: string;
  /** Base32 TOTP secret the client generated and showed to the person's authenticator app. */
  readonly totpSecret: string;
  /** A current code from that app, proving the enrolment worked. */
  readonly totpCode: string;
}

export interface RegistrationResult {
  readonly staffId: string;
  readonly login: string;
  readonly role: StaffRole;
  readonly status: StaffStatus;
  /** Shown once; only their digests are stored. */
  readonly recoveryCodes: string[];
}

/** Registration with an invitation (→ pending_vetting) or a bootstrap setup link (→ active admin). */
@Injectable()
export class StaffRegistration {
  constructor(
    private readonly ds: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly store: StaffStore,
    private readonly audit: AuditLog,
    private readonly box: TotpSecretBox,
    private readonly argon2: Argon2Pool,
  ) {}

  async register(input: RegistrationInput): Promise<RegistrationResult> {
    const kind = tokenKind(input.invitationToken);
    if (kind !== TokenKind.Invitation && kind !== TokenKind.Setup) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'The invitation is not valid',
        [],
        IdentityReason.InvitationInvalid,
      );
    }
    // Shape checks first, so nothing below can fail half-way on bad input.
    b64uField(input.kdfSalt, 16, 'kdfSalt');
    b64uField(input.boxPk, 32, 'boxPk');
    b64uField(input.signPk, 32, 'signPk');
    b64uField(input.protectedSecret, 24 + 64 + 16, 'protectedSecret');
    const authKey = b64uField(input.authKey, 32, 'authKey');
    const step = await matchTotp(input.totpSecret, input.totpCode);
    if (step === null) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'The TOTP code does not match the secret; check the authenticator app and the clock',
        [{ path: 'totpCode', message: 'does not match totpSecret' }],
        IdentityReason.TotpInvalid,
      );
    }
    const authKeyHash = await this.argon2.hash(authKey); // slow (Argon2id): a worker thread, outside the transaction
    const recoveryCodes = newRecoveryCodes();
    const sealedTotp = this.box.seal(input.staffId, input.totpSecret);
    try {
      return await this.ds.transaction(async (m) => {
        if (kind === TokenKind.Setup) await this.store.lockBootstrap(m);
        const now = new Date();
        const inv = await this.store.lockInvitationByDigest(
          m,
          tokenDigest(input.invitationToken, this.config.tokenKey),
        );
        const usable = invitationUsability(inv && { ...inv, kind: inv.kind as InvitationKind }, now);
        if (!usable.usable || !inv) {
          const reason = usable.usable ? IdentityReason.InvitationInvalid : usable.reason;
          const code =
            !usable.usable && usable.kind === 'conflict' ? ErrorCode.Conflict : ErrorCode.Unauthenticated;
          throw new DomainError(code, invitationMessage(reason), [], reason);
        }
        if ((inv.kind === 'setup') !== (kind === TokenKind.Setup)) {
          throw new DomainError(
            ErrorCode.Unauthenticated,
            'The invitation is not valid',
            [],
            IdentityReason.InvitationInvalid,
          );
        }
        await this.assertFree(m, input);
        const status = initialStatusFor(inv.kind as InvitationKind);
        const role = inv.role as StaffRole;
        await this.store.insertRegistered(m, {
          id: input.staffId,
          login: input.login,
          label: inv.label,
          role,
          status,
          kdfSalt: input.kdfSalt,
          authKeyHash,
          boxPk: input.boxPk,
          signPk: input.signPk,
          protectedSecret: input.protectedSecret,
          totpSecret: sealedTotp,
          totpLastStep: step,
          invitedBy: inv.createdBy,
          invitationId: inv.id,
          statusChangedAt: now,
        });
        const teamIds = await this.store.setTeams(m, input.staffId, inv.teamIds);
        await this.store.insertRecoveryCodes(
          m,
          input.staffId,
          recoveryCodes.map((c) => recoveryCodeDigest(c, this.config.tokenKey)),
        );
        await this.store.markInvitationUsed(m, inv.id, now, input.staffId);
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: input.staffId,
          action: AuditAction.StaffRegistered,
          targetType: 'staff',
          targetId: input.staffId,
          details: { invitationId: inv.id, kind: inv.kind, role, status, teams: teamIds.length },
        });
        return { staffId: input.staffId, login: input.login, role, status, recoveryCodes };
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }

  private async assertFree(m: EntityManager, input: RegistrationInput): Promise<void> {
    const problems = [];
    if (await this.store.findByLogin(m, input.login)) problems.push({ path: 'login', message: 'is taken' });
    if (await this.store.findById(m, input.staffId)) problems.push({ path: 'staffId', message: 'is taken' });
    if (problems.length > 0) {
      const reason = problems[0].path === 'login' ? IdentityReason.LoginTaken : IdentityReason.IdTaken;
      throw new DomainError(
        ErrorCode.Conflict,
        `The ${problems.map((p) => p.path).join(' and ')} is taken`,
        problems,
        reason,
      );
    }
  }
}

function invitationMessage(reason: IdentityReason): string {
  if (reason === IdentityReason.InvitationExpired)
    return 'The invitation has expired; ask an admin for a new one';
  if (reason === IdentityReason.InvitationUsed) return 'The invitation has already been used';
  return 'The invitation is not valid';
}
