import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { fromB64u, fromB64uExact, kid, verifyChallenge } from '@panah/crypto';
import { DomainError, ErrorCode, IntakeReason, leadingZeroBits, Principal } from '@panah/domain';
import { newToken, tokenDigest, TokenKind } from '@panah/security';
import { REPORTER_DURESS_PORT, type ReporterDuressPort } from './duress-port';
import { badRequest, conflict } from './errors';
import { OneTimeStore } from './one-time.store';
import { ReporterRepository } from './reporter.repository';
import { checkChallenge, issueChallenge } from './stamped-challenge';

export interface PublicKeys {
  readonly signPk: string;
  readonly boxPk: string;
}

export interface Registration extends PublicKeys {
  /** `showReports`: may a duress session see the real reports (default false: it sees none). */
  readonly duress?: PublicKeys & { readonly showReports?: boolean };
  readonly pow: { readonly challenge: string; readonly nonce: string };
}

const POW_TTL_SECONDS = 300;
const SIGNIN_TTL_SECONDS = 60; // crypto-v1 §3
const POW_NONCE_MAX_BYTES = 64;

/**
 * Anonymous reporters: registration by public keys behind a proof of work, challenge–response
 * sign-in, opaque session tokens stored as keyed digests. Nothing here sees or keeps an address,
 * a user agent or an access code.
 */
@Injectable()
export class ReporterAuthService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly once: OneTimeStore,
    private readonly reporters: ReporterRepository,
    // Duress seam (issue 8): raises the silent alert and keeps the reporter's duress setting.
    @Optional() @Inject(REPORTER_DURESS_PORT) private readonly duressPort: ReporterDuressPort | null = null,
  ) {
    this.key = Buffer.from(config.tokenKey, 'base64url');
  }

  issuePowChallenge(now = Date.now()): {
    challenge: string;
    difficulty: number;
    algorithm: 'sha256';
    expiresAt: string;
  } {
    const c = issueChallenge(this.key, 'pow', '', POW_TTL_SECONDS, this.config.intake.powBits, now);
    return {
      challenge: c.bytes.toString('base64url'),
      difficulty: c.difficulty,
      algorithm: 'sha256',
      expiresAt: c.expiresAt.toISOString(),
    };
  }

  /**
   * Registers a reporter (and an optional duress key). A retry with exactly the same keys answers
   * `created: false` without spending the proof of work again, so a lost response is harmless.
   */
  async register(input: Registration): Promise<{ reporterId: string; created: boolean }> {
    const primary = this.decodeKeys(input, '');
    const duress = input.duress ? this.decodeKeys(input.duress, 'duress.') : null;
    if (duress && duress.kid === primary.kid) {
      throw badRequest(IntakeReason.BadPublicKey, 'The duress key must differ from the primary key', [
        { path: 'duress.signPk', message: 'must differ from signPk' },
      ]);
    }
    const proof = this.checkPow(input.pow);
    const existing = await this.sameRegistration(primary, duress);
    if (existing) return { reporterId: primary.kid, created: false };
    if (!(await this.once.claim('pow', proof, POW_TTL_SECONDS * 1000))) {
      throw badRequest(IntakeReason.PowReused, 'This proof of work was already used', [
        { path: 'pow.challenge', message: 'was already used' },
      ]);
    }
    return this.dataSource.transaction(async (manager) => {
      const taken = await this.reporters.lockTakenKids(
        manager,
        duress ? [primary.kid, duress.kid] : [primary.kid],
      );
      if (taken.length > 0) {
        throw conflict(IntakeReason.ReporterKeyTaken, 'A key is already registered', [
          {
            path: taken[0] === primary.kid ? 'signPk' : 'duress.signPk',
            message: 'is already registered',
          },
        ]);
      }
      if (!(await this.reporters.insertReporter(manager, primary.kid)))
        throw conflict(IntakeReason.ReporterKeyTaken, 'A key is already registered', [
          { path: 'signPk', message: 'is already registered' },
        ]);
      await this.reporters.insertKey(manager, { ...primary, reporterId: primary.kid, purpose: 'primary' });
      if (duress)
        await this.reporters.insertKey(manager, { ...duress, reporterId: primary.kid, purpose: 'duress' });
      if (duress)
        await this.duressPort?.duressRegistered(manager, primary.kid, input.duress?.showReports === true);
      return { reporterId: primary.kid, created: true };
    });
  }

  /** A sign-in challenge for any key id, known or not (nothing is stored until it is used). */
  issueSignInChallenge(reporterId: string, now = Date.now()): { challenge: string; expiresAt: string } {
    const c = issueChallenge(this.key, 'signin', reporterId, SIGNIN_TTL_SECONDS, 0, now);
    return { challenge: c.bytes.toString('base64url'), expiresAt: c.expiresAt.toISOString() };
  }

  /**
   * Verifies the signed challenge and opens a session. Every failure (unknown key, bad or reused
   * challenge, bad signature) is the same 401, so sign-in cannot be used to probe for reporters.
   */
  async signIn(
    reporterId: string,
    challenge: string,
    signature: string,
  ): Promise<{ token: string; expiresAt: string }> {
    const fail = (): DomainError =>
      new DomainError(ErrorCode.Unauthenticated, 'Sign-in failed', [], IntakeReason.SignInFailed);
    let challengeBytes: Uint8Array;
    let sig: Uint8Array;
    try {
      challengeBytes = fromB64uExact(challenge, 32, 'challenge');
      sig = fromB64uExact(signature, 64, 'signature');
    } catch {
      throw fail();
    }
    if (!checkChallenge(this.key, 'signin', reporterId, challengeBytes).ok) throw fail();
    const key = await this.reporters.keyByKid(this.dataSource.manager, reporterId);
    if (!key || !verifyChallenge(challengeBytes, sig, fromB64u(key.sign_pk, 'signPk'))) throw fail();
    if (
      !(await this.once.claim(
        'signin',
        Buffer.from(challengeBytes).toString('base64url'),
        SIGNIN_TTL_SECONDS * 1000,
      ))
    )
      throw fail();
    const token = newToken(TokenKind.ReporterSession);
    const expiresAt = new Date(Date.now() + this.config.intake.sessionTtlSeconds * 1000);
    const sessionId = randomUUID();
    await this.reporters.insertSession(this.dataSource.manager, {
      id: sessionId,
      tokenDigest: tokenDigest(token, this.config.tokenKey),
      reporterId: key.reporter_id,
      keyKid: reporterId,
      duress: key.purpose === 'duress',
      expiresAt,
    });
    // Every sign-in, so the code path (and its timing) is the same with and without duress.
    this.duressPort?.signedIn({ reporterId: key.reporter_id, sessionId, duress: key.purpose === 'duress' });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /** The session resolver for `Bearer pr_…` tokens. */
  async resolveSession(token: string): Promise<Principal | null> {
    const row = await this.reporters.liveSessionByDigest(
      this.dataSource.manager,
      tokenDigest(token, this.config.tokenKey),
    );
    return row ? { kind: 'reporter', reporterId: row.reporter_id, sessionId: row.id } : null;
  }

  async signOut(sessionId: string): Promise<void> {
    await this.reporters.deleteSession(this.dataSource.manager, sessionId);
  }

  private decodeKeys(keys: PublicKeys, prefix: string): PublicKeys & { kid: string } {
    let signPk: Uint8Array;
    try {
      signPk = fromB64uExact(keys.signPk, 32, `${prefix}signPk`);
      fromB64uExact(keys.boxPk, 32, `${prefix}boxPk`);
    } catch (error) {
      const field = (error as { field?: string }).field ?? `${prefix}signPk`;
      throw badRequest(IntakeReason.BadPublicKey, 'Public keys must be 32 bytes in base64url', [
        { path: field, message: 'must be 32 bytes in base64url' },
      ]);
    }
    return { signPk: keys.signPk, boxPk: keys.boxPk, kid: kid(signPk) };
  }

  /** Checks the stamp, expiry and work; returns the challenge id used for the single-use mark. */
  private checkPow(pow: Registration['pow']): string {
    let challenge: Uint8Array;
    let nonce: Uint8Array;
    try {
      challenge = fromB64uExact(pow.challenge, 32, 'pow.challenge');
      nonce = fromB64u(pow.nonce, 'pow.nonce');
    } catch (error) {
      const field = (error as { field?: string }).field ?? 'pow';
      throw badRequest(IntakeReason.PowInvalid, 'Malformed proof of work', [
        { path: field, message: 'is malformed base64url' },
      ]);
    }
    if (nonce.length < 1 || nonce.length > POW_NONCE_MAX_BYTES) {
      throw badRequest(IntakeReason.PowInvalid, 'Malformed proof of work', [
        { path: 'pow.nonce', message: `must be 1 to ${POW_NONCE_MAX_BYTES} bytes` },
      ]);
    }
    const check = checkChallenge(this.key, 'pow', '', challenge);
    if (!check.ok) {
      const reason = check.why === 'expired' ? IntakeReason.PowExpired : IntakeReason.PowInvalid;
      throw badRequest(
        reason,
        check.why === 'expired'
          ? 'The proof-of-work challenge expired'
          : 'Not a challenge issued by this server',
        [
          {
            path: 'pow.challenge',
            message: check.why === 'expired' ? 'has expired' : 'was not issued by this server',
          },
        ],
      );
    }
    const hash = createHash('sha256').update(challenge).update(nonce).digest();
    if (leadingZeroBits(hash) < check.difficulty) {
      throw badRequest(IntakeReason.PowInsufficient, 'The proof of work does not meet the difficulty', [
        {
          path: 'pow.nonce',
          message: `SHA-256(challenge || nonce) needs ${check.difficulty} leading zero bits`,
        },
      ]);
    }
    return Buffer.from(challenge).toString('base64url');
  }

  private async sameRegistration(
    primary: PublicKeys & { kid: string },
    duress: (PublicKeys & { kid: string }) | null,
  ): Promise<boolean> {
    const rows = await this.reporters.keysOf(this.dataSource.manager, primary.kid);
    if (rows.length === 0) return false;
    const want = [{ ...primary, purpose: 'primary' }, ...(duress ? [{ ...duress, purpose: 'duress' }] : [])];
    return (
      rows.length === want.length &&
      want.every((w) =>
        rows.some(
          (r) => r.kid === w.kid && r.sign_pk === w.signPk && r.box_pk === w.boxPk && r.purpose === w.purpose,
        ),
      )
    );
  }
}
