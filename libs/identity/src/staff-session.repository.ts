import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';
import type { StaffRole, StaffStatus } from '@panah/domain';

/** A session with what the guard needs of its account. */
export interface SessionRow {
  readonly id: string;
  readonly staff_id: string;
  readonly created_at: Date;
  readonly last_seen_at: Date;
  readonly revoked_at: Date | null;
  readonly role: StaffRole;
  readonly status: StaffStatus;
}

/** `staff_sessions`: every statement on it, with the caller's manager. */
@Injectable()
export class StaffSessionRepository {
  async insert(
    m: EntityManager,
    sessionId: string,
    staffId: string,
    digest: string,
    now: Date,
  ): Promise<void> {
    await m.query(
      prepared(
        `INSERT INTO staff_sessions (id, staff_id, token_digest, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)`,
      ),
      [sessionId, staffId, digest, now],
    );
  }

  async findByDigest(m: EntityManager, digest: string): Promise<SessionRow | null> {
    const rows = (await m.query(
      prepared(`SELECT s.id, s.staff_id, s.created_at, s.last_seen_at, s.revoked_at, st.role, st.status
         FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
        WHERE s.token_digest = $1`),
      [digest],
    )) as SessionRow[];
    return rows[0] ?? null;
  }

  async touch(m: EntityManager, sessionId: string, now: Date): Promise<void> {
    await m.query(
      prepared(`UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`),
      [sessionId, now],
    );
  }

  async revoke(m: EntityManager, sessionId: string, reason: string, now: Date): Promise<void> {
    await m.query(
      prepared(
        `UPDATE staff_sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      ),
      [sessionId, now, reason],
    );
  }

  /** Revokes every live session of an account; returns how many. */
  async revokeAllFor(m: EntityManager, staffId: string, reason: string, now: Date): Promise<number> {
    const result = (await m.query(
      prepared(
        `UPDATE staff_sessions SET revoked_at = $2, revoke_reason = $3 WHERE staff_id = $1 AND revoked_at IS NULL`,
      ),
      [staffId, now, reason],
    )) as [unknown, number];
    return result[1];
  }
}
