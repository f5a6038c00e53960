import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { DomainError, ErrorCode, isTimeZone, problemPath, validationError } from '@panah/domain';
import {
  CHANNEL_KINDS,
  type ChannelKind,
  ContactCipher,
  type ContactDetail,
  contactDetailSchemas,
  NotificationChannels,
  OutboundRefused,
} from '@panah/notify';

export interface ContactMethodView {
  readonly id: string;
  readonly channel: string;
  readonly priority: number;
  readonly enabled: boolean;
}

/**
 * Staff choose and order their own contact methods; details are encrypted before they are
 * stored and never returned (a webhook's signing secret is shown once, when it is created).
 * Supervisors and admins set a team's on-call rotation and overrides.
 */
@Injectable()
export class ContactMethods {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: ContactCipher,
    private readonly audit: AuditLog,
    private readonly channels: NotificationChannels,
  ) {}

  async list(staffId: string): Promise<ContactMethodView[]> {
    return (await this.dataSource.query(
      `SELECT id, channel, priority, enabled FROM contact_methods WHERE staff_id = $1 ORDER BY priority, created_at, id`,
      [staffId],
    )) as ContactMethodView[];
  }

  /** Adds a method at the end of the person's order. Returns the webhook secret once, if any. */
  async add(
    staffId: string,
    channel: string,
    detail: unknown,
  ): Promise<ContactMethodView & { webhookSecret?: string }> {
    if (!(CHANNEL_KINDS as readonly string[]).includes(channel))
      throw validationError([{ path: 'channel', message: `must be one of ${CHANNEL_KINDS.join(', ')}` }]);
    const kind = channel as ChannelKind;
    const parsed = contactDetailSchemas[kind].safeParse(detail);
    if (!parsed.success)
      throw validationError(
        parsed.error.issues.map((i) => ({ path: problemPath('detail', i.path), message: i.message })),
      );
    if (kind === 'webhook') {
      // Refused now, naming the field, as well as at every delivery (the name may move later).
      await this.channels.outbound.check((parsed.data as { url: string }).url).catch((error: unknown) => {
        if (error instanceof OutboundRefused)
          throw validationError([{ path: 'detail.url', message: error.detail }]);
        throw error;
      });
    }
    const id = randomUUID();
    const secret = kind === 'webhook' ? randomBytes(32).toString('base64url') : undefined;
    const stored = { channel: kind, ...parsed.data, ...(secret ? { secret } : {}) } as ContactDetail;
    const ciphertext = await this.cipher.encrypt(id, stored);
    return this.dataSource.transaction(async (m) => {
      const [{ next }] = (await m.query(
        `SELECT COALESCE(max(priority), 0) + 1 AS next FROM contact_methods WHERE staff_id = $1`,
        [staffId],
      )) as { next: number }[];
      await m.query(
        `INSERT INTO contact_methods (id, staff_id, channel, priority, detail_ciphertext) VALUES ($1, $2, $3, $4, $5)`,
        [id, staffId, kind, next, ciphertext],
      );
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: staffId,
        action: 'contact_method.added',
        targetType: 'contact_method',
        targetId: id,
        details: { channel: kind },
      });
      return {
        id,
        channel: kind,
        priority: next,
        enabled: true,
        ...(secret ? { webhookSecret: secret } : {}),
      };
    });
  }

  async remove(staffId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [, count] = (await m.query(`DELETE FROM contact_methods WHERE id = $1 AND staff_id = $2`, [
        id,
        staffId,
      ])) as [unknown, number];
      if (count === 0) throw new DomainError(ErrorCode.NotFound, 'No such contact method');
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: staffId,
        action: 'contact_method.removed',
        targetType: 'contact_method',
        targetId: id,
      });
    });
  }

  /** Sets the order: `ids` must list every one of the person's methods exactly once. */
  async reorder(staffId: string, ids: readonly string[]): Promise<ContactMethodView[]> {
    const mine = await this.list(staffId);
    const same =
      ids.length === mine.length &&
      new Set(ids).size === ids.length &&
      ids.every((id) => mine.some((x) => x.id === id));
    if (!same)
      throw validationError([
        { path: 'ids', message: 'must list each of your contact methods exactly once' },
      ]);
    await this.dataSource.transaction(async (m) => {
      for (const [i, id] of ids.entries())
        await m.query(`UPDATE contact_methods SET priority = $3 WHERE id = $1 AND staff_id = $2`, [
          id,
          staffId,
          i + 1,
        ]);
    });
    return this.list(staffId);
  }

  async setTimeZone(staffId: string, timeZone: string): Promise<void> {
    if (!isTimeZone(timeZone))
      throw validationError([{ path: 'timeZone', message: 'must be an IANA time zone like Europe/Berlin' }]);
    await this.dataSource.query(
      `INSERT INTO staff_notification_settings (staff_id, time_zone) VALUES ($1, $2)
       ON CONFLICT (staff_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, updated_at = now()`,
      [staffId, timeZone],
    );
  }
}
