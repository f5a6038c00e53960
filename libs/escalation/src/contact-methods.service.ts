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
import { ContactMethodRepository, type ContactMethodRow } from './contact-method.repository';

export type ContactMethodView = ContactMethodRow;

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
    private readonly methods: ContactMethodRepository,
  ) {}

  list(staffId: string): Promise<ContactMethodView[]> {
    return this.methods.listForStaff(this.dataSource.manager, staffId);
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
      const next = await this.methods.nextPriority(m, staffId);
      await this.methods.insert(m, { id, staffId, channel: kind, priority: next, ciphertext });
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
      if (!(await this.methods.remove(m, staffId, id)))
        throw new DomainError(ErrorCode.NotFound, 'No such contact method');
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
      for (const [i, id] of ids.entries()) await this.methods.setPriority(m, staffId, id, i + 1);
    });
    return this.list(staffId);
  }

  async setTimeZone(staffId: string, timeZone: string): Promise<void> {
    if (!isTimeZone(timeZone))
      throw validationError([{ path: 'timeZone', message: 'must be an IANA time zone like Europe/Berlin' }]);
    await this.methods.setTimeZone(this.dataSource.manager, staffId, timeZone);
  }
}
