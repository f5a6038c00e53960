import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { canSignIn, Principal, sessionExpiresAt, sessionState } from '@panah/domain';
import { newToken, TokenKind, tokenDigest } from '@panah/security';
import { StaffSessionRepository } from './staff-session.repository';

export interface NewSession {
  readonly sessionId: string;
  /** The bearer token: returned once to the client, never stored or logged. */
  readonly token: string;
  readonly expiresAt: Date;
}

/** Don't rewrite last_seen_at on every request; a few seconds of idle-time slack is harmless. */
const TOUCH_AFTER_MS = 15_000;

/**
 * Staff sessions: opaque 256-bit `ps_…` tokens stored as keyed digests, 30 min idle and 12 h
 * absolute expiry. The principal is rebuilt from the staff row on every request, so a role change
 * or a suspension takes effect on the very next request (sessions are also revoked explicitly).
 */
@Injectable()
export class StaffSessions {
  constructor(
    private readonly ds: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly repo: StaffSessionRepository,
  ) {}

  async create(manager: EntityManager, staffId: string, now = new Date()): Promise<NewSession> {
    const token = newToken(TokenKind.StaffSession);
    const sessionId = randomUUID();
    await this.repo.insert(manager, sessionId, staffId, tokenDigest(token, this.config.tokenKey), now);
    return {
      sessionId,
      token,
      expiresAt: sessionExpiresAt({ createdAt: now, lastSeenAt: now, revokedAt: null }),
    };
  }

  /** The principal of a live session of an active account, else null. Never throws on bad input. */
  async resolve(token: string, now = new Date()): Promise<Principal | null> {
    const s = await this.repo.findByDigest(this.ds.manager, tokenDigest(token, this.config.tokenKey));
    if (!s || !canSignIn(s.status)) return null;
    if (
      sessionState({ createdAt: s.created_at, lastSeenAt: s.last_seen_at, revokedAt: s.revoked_at }, now) !==
      'live'
    )
      return null;
    if (now.getTime() - s.last_seen_at.getTime() > TOUCH_AFTER_MS)
      await this.repo.touch(this.ds.manager, s.id, now);
    return { kind: 'staff', staffId: s.staff_id, role: s.role, sessionId: s.id };
  }

  revoke(manager: EntityManager, sessionId: string, reason: string, now = new Date()): Promise<void> {
    return this.repo.revoke(manager, sessionId, reason, now);
  }

  /** Ends every session of an account at once (suspension, offboarding). */
  revokeAllFor(manager: EntityManager, staffId: string, reason: string, now = new Date()): Promise<number> {
    return this.repo.revokeAllFor(manager, staffId, reason, now);
  }
}
