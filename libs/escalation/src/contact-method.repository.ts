import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';

/** A contact method as its owner lists it (never its detail). */
export interface ContactMethodRow {
  readonly id: string;
  readonly channel: string;
  readonly priority: number;
  readonly enabled: boolean;
}

/** A person's contact method to try: its id and channel. */
export interface ContactRefRow {
  readonly id: string;
  readonly channel: string;
}

/** The first enabled contact method of one of several people (null when they have none). */
export interface FirstContactRow {
  readonly staff_id: string;
  readonly method_id: string | null;
  readonly channel: string | null;
}

/**
 * Owner of `contact_methods` and `staff_notification_settings`: each staff member's ordered,
 * encrypted contact methods and time zone. With the caller's transaction; details are stored and
 * handed back only as ciphertext, to delivery.
 */
@Injectable()
export class ContactMethodRepository {
  /** The person's methods in their order. */
  async listForStaff(m: EntityManager, staffId: string): Promise<ContactMethodRow[]> {
    return (await m.query(
      `SELECT id, channel, priority, enabled FROM contact_methods WHERE staff_id = $1 ORDER BY priority, created_at, id`,
      [staffId],
    )) as ContactMethodRow[];
  }

  /** The priority a method added now gets: after the person's last one. */
  async nextPriority(m: EntityManager, staffId: string): Promise<number> {
    const [row] = (await m.query(
      `SELECT COALESCE(max(priority), 0) + 1 AS next FROM contact_methods WHERE staff_id = $1`,
      [staffId],
    )) as { next: number }[];
    return row.next;
  }

  async insert(
    m: EntityManager,
    method: { id: string; staffId: string; channel: string; priority: number; ciphertext: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO contact_methods (id, staff_id, channel, priority, detail_ciphertext) VALUES ($1, $2, $3, $4, $5)`,
      [method.id, method.staffId, method.channel, method.priority, method.ciphertext],
    );
  }

  /** Deletes one of the person's methods; false when they have no such method. */
  async remove(m: EntityManager, staffId: string, id: string): Promise<boolean> {
    const [, count] = (await m.query(`DELETE FROM contact_methods WHERE id = $1 AND staff_id = $2`, [
      id,
      staffId,
    ])) as [unknown, number];
    return count > 0;
  }

  async setPriority(m: EntityManager, staffId: string, id: string, priority: number): Promise<void> {
    await m.query(`UPDATE contact_methods SET priority = $3 WHERE id = $1 AND staff_id = $2`, [
      id,
      staffId,
      priority,
    ]);
  }

  async setTimeZone(m: EntityManager, staffId: string, timeZone: string): Promise<void> {
    await m.query(
      `INSERT INTO staff_notification_settings (staff_id, time_zone) VALUES ($1, $2)
       ON CONFLICT (staff_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, updated_at = now()`,
      [staffId, timeZone],
    );
  }

  /** The person's enabled methods in their order (delivery's fallback walks it). */
  async enabledOf(m: EntityManager, staffId: string): Promise<ContactRefRow[]> {
    return (await m.query(
      prepared(
        `SELECT id, channel FROM contact_methods WHERE staff_id = $1 AND enabled ORDER BY priority, created_at, id`,
      ),
      [staffId],
    )) as ContactRefRow[];
  }

  /** Each person's first enabled method, in the order given (one row per person). */
  async firstEnabledOf(m: EntityManager, staffIds: readonly string[]): Promise<FirstContactRow[]> {
    return (await m.query(
      `SELECT p.id AS staff_id, c.id AS method_id, c.channel
         FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, ord)
         LEFT JOIN LATERAL (SELECT id, channel FROM contact_methods WHERE staff_id = p.id AND enabled ORDER BY priority, created_at, id LIMIT 1) c ON true
        ORDER BY p.ord`,
      [staffIds],
    )) as FirstContactRow[];
  }
}
