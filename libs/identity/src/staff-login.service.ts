import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { STAFF_KDF_SALT_BYTES, STAFF_PWHASH_MEM, STAFF_PWHASH_OPS, toB64u } from '@panah/crypto';
import { Staff } from '@panah/db';
import {
  AuditAction,
  canSignIn,
  DomainError,
  ErrorCode,
  IdentityReason,
  leadingZeroBits,
  loginWorkRequired,
  StaffRole,
  StaffStatus,
  totpStepAcceptable,
} from '@panah/domain';
import { checkChallenge, dailyKeyedHash, issueChallenge, RateLimiter } from '@panah/security';
import { Argon2Pool } from './argon2-pool';
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
  /** A solved proof of work, when an earlier answer demanded one. */
  readonly pow?: { readonly challenge: string; readonly nonce: string };
  /** A keyed, daily-rotating hash of the source address (never the address). */
  readonly sourceKey: string;
}

/** The `pow` of a `login/pow_required` answer (crypto-v1 §7's scheme). */
export interface LoginPowChallenge {
  readonly challenge: string;
  readonly difficulty: number;
  readonly algorithm: 'sha256';
  readonly expiresAt: string;
}

export interface LoginResult {
  readonly token: string;
  readonly sessionId: string;
  readonly staffId: string;
  readonly role: StaffRole;
  readonly expiresAt: Date;
}

const POW_PURPOSE = 'staff-login-pow';
const POW_TTL_SECONDS = 300;

type FailureReason = 'unknown_login' | 'wrong_key' | 'wrong_code' | 'replayed_code' | 'not_active';

/**
 * Staff sign-in. Every failure — unknown login, wrong key, wrong or replayed code, an account
 * that is pending, suspended or gone — gets the same 401 body after the same work (an Argon2id
 * verification against a dummy hash and a TOTP check against a dummy secret for unknown logins),
 * so neither the answer nor its timing tells an attacker which part was wrong.
 *
 * Throttling never locks an owner out (issue 18 point 4): well-formed attempts are counted per
 * (login name, source), per login name and per source, and past LOGIN_FREE_ATTEMPTS an attempt
 * must carry a proof of work bound to the login name (loginWorkRequired in @panah/domain) instead
 * of being refused. Malformed requests are refused before anything is counted.
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
    private readonly argon2: Argon2Pool,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.argon2.hash(new Uint8Array(randomBytes(32)));
  }

  private rules() {
    const windowMs = this.config.api.login.windowSeconds * 1000;
    // The limits are far above anything reached: the decision is loginWorkRequired's, on the counts.
    return {
      pair: { name: 'staff-login-pair', limit: Number.MAX_SAFE_INTEGER, windowMs },
      account: { name: 'staff-login-account', limit: Number.MAX_SAFE_INTEGER, windowMs },
      source: { name: 'staff-login-source', limit: Number.MAX_SAFE_INTEGER, windowMs },
    };
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
    // Shape first: a malformed request is a 400 and counts against nobody.
    const authKey = b64uField(input.authKey, 32, 'authKey');
    const pow = input.pow ? this.decodePow(input.pow) : null;
    const key = (what: string) => dailyKeyedHash(what, this.config.tokenKey);
    const pairKey = key(`staff-login-pair\n${input.login}\n${input.sourceKey}`);
    const accountKey = key(`staff-login\n${input.login}`);
    const rules = this.rules();
    const [pair, account, source] = await Promise.all([
      this.limiter.hit(rules.pair, pairKey),
      this.limiter.hit(rules.account, accountKey),
      this.limiter.hit(rules.source, input.sourceKey),
    ]);
    const bits = loginWorkRequired(
      { pair: pair.count, account: account.count, source: source.count },
      this.config.api.login,
    );
    if (bits !== null) await this.requireWork(input.login, bits, pow);
    const staff = await this.store.findByLogin(this.ds.manager, input.login);
    const keyOk =
      (await this.argon2.verify(staff?.authKeyHash ?? this.dummyHash, authKey)) &&
      Boolean(staff?.authKeyHash);
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
        await this.limiter.reset(rules.pair, pairKey);
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
    return this.fail(staff, failure ?? 'wrong_code');
  }

  /** A fresh challenge bound to the login name (stateless: stamped and MAC'd, crypto-v1 §7). */
  powChallenge(login: string, difficulty: number, now = Date.now()): LoginPowChallenge {
    const c = issueChallenge(this.powKey(), POW_PURPOSE, login, POW_TTL_SECONDS, difficulty, now);
    return {
      challenge: c.bytes.toString('base64url'),
      difficulty,
      algorithm: 'sha256',
      expiresAt: c.expiresAt.toISOString(),
    };
  }

  private powKey(): Buffer {
    return Buffer.from(this.config.tokenKey, 'base64url');
  }

  private decodePow(pow: NonNullable<LoginInput['pow']>): { challenge: Buffer; nonce: Buffer } {
    const challenge = b64uField(pow.challenge, 32, 'pow.challenge');
    const nonce = Buffer.from(pow.nonce, 'base64url');
    if (nonce.length < 1 || nonce.length > 32 || nonce.toString('base64url') !== pow.nonce) {
      throw new DomainError(ErrorCode.ValidationFailed, 'Malformed proof of work', [
        { path: 'pow.nonce', message: 'must be 1 to 32 bytes in base64url' },
      ]);
    }
    return { challenge: Buffer.from(challenge), nonce };
  }

  /**
   * Lets the attempt through only with a single-use proof of work of at least `bits`, issued for
   * this login name; otherwise answers 401 `login/pow_required` with a fresh challenge. A wrong,
   * expired or reused proof gets the same answer, so a client simply solves the new one.
   */
  private async requireWork(
    login: string,
    bits: number,
    pow: { challenge: Buffer; nonce: Buffer } | null,
  ): Promise<void> {
    if (pow) {
      const check = checkChallenge(this.powKey(), POW_PURPOSE, login, pow.challenge);
      const zeros = leadingZeroBits(createHash('sha256').update(pow.challenge).update(pow.nonce).digest());
      if (
        check.ok &&
        zeros >= bits &&
        (await this.limiter.claimOnce(
          POW_PURPOSE,
          pow.challenge.toString('base64url'),
          POW_TTL_SECONDS * 1000,
        ))
      )
        return;
    }
    throw new DomainError(
      ErrorCode.Unauthenticated,
      'A proof of work is required to sign in: solve pow and send the sign-in again with it',
      [],
      IdentityReason.LoginPowRequired,
      { pow: this.powChallenge(login, bits) },
    );
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

  private async fail(staff: Staff | null, reason: FailureReason): Promise<never> {
    // Recorded without the attempted login name (people type passwords into it) or any secret.
    await this.audit.appendAlone({
      actorType: 'anonymous',
      actorId: null,
      action: AuditAction.LoginFailed,
      targetType: staff ? 'staff' : null,
      targetId: staff?.id ?? null,
      details: { reason },
    });
    throw new DomainError(ErrorCode.Unauthenticated, 'Sign-in failed', [], IdentityReason.LoginFailed);
  }
}
