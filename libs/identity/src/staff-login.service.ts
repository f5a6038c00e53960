import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  cryptoReady,
  hashAuthKey,
  STAFF_KDF_SALT_BYTES,
  STAFF_PWHASH_MEM,
  STAFF_PWHASH_OPS,
  toB64u,
  verifyAuthKeyHash,
} from '@panah/crypto';
import { Staff } from '@panah/db';
import {
  AuditAction,
  canSignIn,
  DomainError,
  ErrorCode,
  IdentityReason,
  LOGIN_ACCOUNT_LIMIT,
  LOGIN_SOURCE_LIMIT,
  LOGIN_WINDOW_MS,
  loginFailureDelayMs,
  StaffRole,
  StaffStatus,
  totpStepAcceptable,
} from '@panah/domain';
import { dailyKeyedHash, RateLimiter } from '@panah/security';
import { b64uField } from './fields';
import { recoveryCodeDigest } from './recovery-codes';
import { TotpSecretBox } from './secret-box';
import { StaffSessions } from './staff-sessions.service';
import { StaffStore } from './staff-store.repository';
import { matchTotp, newTotpSecret } from './totp';

export interface PreloginResult {
  readonly kdfSalt: string;
  readonly opslimit: number;
  readonly memlimit: number;
  readonly alg: 'argon2id13';
}

export interface LoginInput {
  readonly login: string;
  readonly authKey: string;
  readonly totpCode?: string;
  readonly recoveryCode?: string;
  /** A keyed, daily-rotating hash of the source address (never the address). */
  readonly sourceKey: string;
}

export interface LoginResult {
  readonly token: string;
  readonly sessionId: string;
  readonly staffId: string;
  readonly role: StaffRole;
  readonly expiresAt: Date;
}

const ACCOUNT_RULE = { name: 'staff-login-account', limit: LOGIN_ACCOUNT_LIMIT, windowMs: LOGIN_WINDOW_MS };
const SOURCE_RULE = { name: 'staff-login-source', limit: LOGIN_SOURCE_LIMIT, windowMs: LOGIN_WINDOW_MS };

type FailureReason = 'unknown_login' | 'wrong_key' | 'wrong_code' | 'replayed_code' | 'not_active';

/**
 * Staff sign-in. Every failure — unknown login, wrong key, wrong or replayed code, an account
 * that is pending, suspended or gone — gets the same 401 body after the same work (an Argon2id
 * verification against a dummy hash and a TOTP check against a dummy secret for unknown logins),
 * so neither the answer nor its timing tells an attacker which part was wrong.
 */
@Injectable()
export class StaffLogin implements OnModuleInit {
  private readonly logger = new Logger(StaffLogin.name);
  private dummyHash = '';
  private readonly dummyTotpSecret = newTotpSecret();

  constructor(
    private readonly ds: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly store: StaffStore,
    private readonly sessions: StaffSessions,
    private readonly audit: AuditLog,
    private readonly limiter: RateLimiter,
    private readonly box: TotpSecretBox,
  ) {}

  async onModuleInit(): Promise<void> {
    await cryptoReady();
    this.dummyHash = hashAuthKey(new Uint8Array(randomBytes(32)));
  }

  /**
   * The kdf parameters for a login. An unknown login gets a salt derived from the login under
   * TOKEN_KEY: stable across calls and indistinguishable from a real one, so it enumerates nothing.
   */
  async prelogin(login: string): Promise<PreloginResult> {
    const staff = await this.store.findByLogin(this.ds.manager, login);
    const salt =
      staff?.kdfSalt ??
      toB64u(
        new Uint8Array(
          createHmac('sha256', Buffer.from(this.config.tokenKey, 'base64url'))
            .update(`prelogin-salt\n${login}`)
            .digest()
            .subarray(0, STAFF_KDF_SALT_BYTES),
        ),
      );
    return { kdfSalt: salt, opslimit: STAFF_PWHASH_OPS, memlimit: STAFF_PWHASH_MEM, alg: 'argon2id13' };
  }

  async login(input: LoginInput): Promise<LoginResult> {
    const accountKey = dailyKeyedHash(`staff-login\n${input.login}`, this.config.tokenKey);
    const [account, source] = await Promise.all([
      this.limiter.hit(ACCOUNT_RULE, accountKey),
      this.limiter.hit(SOURCE_RULE, input.sourceKey),
    ]);
    if (!account.allowed || !source.allowed) {
      throw new DomainError(
        ErrorCode.RateLimited,
        'Too many sign-in attempts; try again later',
        [],
        IdentityReason.LoginRateLimited,
      );
    }
    const authKey = b64uField(input.authKey, 32, 'authKey');
    const staff = await this.store.findByLogin(this.ds.manager, input.login);
    const keyOk =
      verifyAuthKeyHash(staff?.authKeyHash ?? this.dummyHash, authKey) && Boolean(staff?.authKeyHash);
    const factor = await this.checkSecondFactor(staff, input);

    let failure: FailureReason | null = !staff
      ? 'unknown_login'
      : !keyOk
        ? 'wrong_key'
        : factor.ok
          ? null
          : factor.reason;
    if (!failure && staff && !canSignIn(staff.status as StaffStatus)) failure = 'not_active';
    if (!failure && staff && factor.ok) {
      const result = await this.ds.transaction(async (m) => {
        const now = new Date();
        const claimed =
          factor.kind === 'totp'
            ? await this.store.claimTotpStep(m, staff.id, factor.step)
            : await this.store.claimRecoveryCode(m, staff.id, factor.digest, now);
        if (!claimed) return null; // a concurrent sign-in used this code first
        const session = await this.sessions.create(m, staff.id, now);
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: staff.id,
          action: AuditAction.LoginSucceeded,
          targetType: 'session',
          targetId: session.sessionId,
          details: { factor: factor.kind },
        });
        return session;
      });
      if (result) {
        await this.limiter.reset(ACCOUNT_RULE, accountKey);
        return {
          token: result.token,
          sessionId: result.sessionId,
          staffId: staff.id,
          role: staff.role as StaffRole,
          expiresAt: result.expiresAt,
        };
      }
      failure = 'replayed_code';
    }
    return this.fail(staff, failure ?? 'wrong_code', account.count);
  }

  private async checkSecondFactor(
    staff: Staff | null,
    input: LoginInput,
  ): Promise<
    | { ok: true; kind: 'totp'; step: number }
    | { ok: true; kind: 'recovery'; digest: string }
    | { ok: false; reason: FailureReason }
  > {
    if (input.recoveryCode !== undefined) {
      const digest = recoveryCodeDigest(input.recoveryCode, this.config.tokenKey);
      // The lookup runs for unknown logins too (with an id that matches nothing): same work.
      const found = await this.store.hasUnusedRecoveryCode(
        this.ds.manager,
        staff?.id ?? randomUUID(),
        digest,
      );
      return found && staff ? { ok: true, kind: 'recovery', digest } : { ok: false, reason: 'wrong_code' };
    }
    let secret = this.dummyTotpSecret;
    if (staff?.totpSecret) {
      try {
        secret = this.box.open(staff.id, staff.totpSecret);
      } catch {
        // A retired data key or a tampered row: this account cannot pass, and an operator must know.
        this.logger.error({ staffId: staff.id }, 'stored TOTP secret did not open');
      }
    }
    const step = await matchTotp(secret, input.totpCode ?? '');
    if (step === null || !staff?.totpSecret) return { ok: false, reason: 'wrong_code' };
    if (!totpStepAcceptable(step, staff.totpLastStep === null ? null : Number(staff.totpLastStep)))
      return { ok: false, reason: 'replayed_code' };
    return { ok: true, kind: 'totp', step };
  }

  private async fail(staff: Staff | null, reason: FailureReason, attempts: number): Promise<never> {
    // Recorded without the attempted login name (people type passwords into it) or any secret.
    await this.audit.appendAlone({
      actorType: 'anonymous',
      actorId: null,
      action: AuditAction.LoginFailed,
      targetType: staff ? 'staff' : null,
      targetId: staff?.id ?? null,
      details: { reason },
    });
    const delay = loginFailureDelayMs(attempts);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    throw new DomainError(ErrorCode.Unauthenticated, 'Sign-in failed', [], IdentityReason.LoginFailed);
  }
}
