import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { canSignIn, Principal, sessionExpiresAt, sessionState, StaffRole, StaffStatus } from '@panah/domain';
import { newToken, TokenKind, tokenDigest } from '@panah/security';
import { prepared } from '@panah/db';

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
  ) {}

  async create(manager: EntityManager, staffId: string, now = new Date()): Promise<NewSession> {
    const token = newToken(TokenKind.StaffSession);
    const sessionId = randomUUID();
    await manager.query(
      prepared(
        `INSERT INTO staff_sessions (id, staff_id, token_digest, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)`,
      ),
      [sessionId, staffId, tokenDigest(token, this.config.tokenKey), now],
    );
    return {
      sessionId,
      token,
      expiresAt: sessionExpiresAt({ createdAt: now, lastSeenAt: now, revokedAt: null }),
    };
  }

  /** The principal of a live session of an active account, else null. Never throws on bad input. */
  async resolve(token: string, now = new Date()): Promise<Principal | null> {
    const rows = (await this.ds.query(
      prepared(`SELECT s.id, s.staff_id, s.created_at, s.last_seen_at, s.revoked_at, st.role, st.status
         FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
        WHERE s.token_digest = $1`),
      [tokenDigest(token, this.config.tokenKey)],
    )) as {
      id: string;
      staff_id: string;
      created_at: Date;
      last_seen_at: Date;
      revoked_at: Date | null;
      role: StaffRole;
      status: StaffStatus;
    }[];
    const s = rows[0];
    if (!s || !canSignIn(s.status)) return null;
    if (
      sessionState({ createdAt: s.created_at, lastSeenAt: s.last_seen_at, revokedAt: s.revoked_at }, now) !==
      'live'
    )
      return null;
    if (now.getTime() - s.last_seen_at.getTime() > TOUCH_AFTER_MS) {
      await this.ds.query(
        prepared(`UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`),
        [s.id, now],
      );
    }
    return { kind: 'staff', staffId: s.staff_id, role: s.role, sessionId: s.id };
  }

  async revoke(manager: EntityManager, sessionId: string, reason: string, now = new Date()): Promise<void> {
    await manager.query(
      prepared(
        `UPDATE staff_sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      ),
      [sessionId, now, reason],
    );
  }

  /** Ends every session of an account at once (suspension, offboarding). */
  async revokeAllFor(
    manager: EntityManager,
    staffId: string,
    reason: string,
    now = new Date(),
  ): Promise<number> {
    const result = (await manager.query(
      prepared(
        `UPDATE staff_sessions SET revoked_at = $2, revoke_reason = $3 WHERE staff_id = $1 AND revoked_at IS NULL`,
      ),
      [staffId, now, reason],
    )) as [unknown, number];
    return result[1];
  }
}
