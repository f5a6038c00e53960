import { createTransport, type Transporter } from 'nodemailer';
import {
  ChannelError,
  type ContactDetail,
  httpOutcome,
  networkError,
  type NotificationChannel,
  type OutgoingNotification,
} from './channel';
import { type OutboundGuard, OutboundRefused } from './outbound';
import { NOTIFICATION_ID_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';

function wrong(detail: ContactDetail): never {
  throw new ChannelError(`wrong_detail_${detail.channel}`, true);
}

async function post(url: string, init: RequestInit, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw networkError(error);
  }
  await res.body?.cancel().catch(() => undefined); // the answer's content is not needed (nor logged)
  const failure = httpOutcome(res.status);
  if (failure) throw failure;
}

/** Email over SMTP through one pooled nodemailer transport. */
export class EmailChannel implements NotificationChannel {
  readonly kind = 'email' as const;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    // Pooled: a burst of escalations reuses connections instead of opening one per message.
    this.transport = createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: 5,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(detail: ContactDetail, message: OutgoingNotification): Promise<void> {
    if (detail.channel !== 'email') wrong(detail);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: detail.address,
        subject: message.subject,
        text: message.text,
        // Same Message-ID on every attempt: mail systems collapse our at-least-once retries.
        messageId: `<${message.id}@panah.invalid>`,
        headers: { [NOTIFICATION_ID_HEADER]: message.id },
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx: the server refused (bad mailbox, policy); retrying the same server will not help.
      if (typeof code === 'number') throw new ChannelError(`smtp_${code}`, code >= 500);
      throw new ChannelError('smtp_unavailable', false);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * JSON POST signed with the contact method's own secret (see webhook-signature.ts), through the
 * outbound guard: the URL is resolved once, every address checked, and the connection made to
 * the checked one. Staff see a failure only as `destination_refused` (the guard said no, nothing
 * was sent) or `webhook_failed` (anything else): a status code, a refused connection or a timeout
 * told apart would turn escalation history into a port scanner.
 */
export class WebhookChannel implements NotificationChannel {
  readonly kind = 'webhook' as const;

  constructor(
    private readonly timeoutMs: number,
    private readonly guard: OutboundGuard,
  ) {}

  async send(detail: ContactDetail, message: OutgoingNotification): Promise<void> {
    if (detail.channel !== 'webhook') wrong(detail);
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ id: message.id, text: message.text });
    let status: number;
    try {
      status = await this.guard.send(
        detail.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signWebhook(detail.secret, timestamp, body),
            [NOTIFICATION_ID_HEADER]: message.id,
          },
          body,
        },
        this.timeoutMs,
      );
    } catch (error) {
      if (error instanceof OutboundRefused) throw new ChannelError('destination_refused', true);
      throw new ChannelError('webhook_failed', false);
    }
    const failure = httpOutcome(status);
    if (failure) throw new ChannelError('webhook_failed', failure.permanent);
  }
}

/** Signal through a signal-cli REST gateway (bbernhard/signal-cli-rest-api `POST /v2/send`). */
export class SignalChannel implements NotificationChannel {
  readonly kind = 'signal' as const;

  constructor(
    private readonly gateway: { url: string; sender: string } | null,
    private readonly timeoutMs: number,
  ) {}

  async send(detail: ContactDetail, message: OutgoingNotification): Promise<void> {
    if (detail.channel !== 'signal') wrong(detail);
    if (!this.gateway) throw new ChannelError('signal_not_configured', true);
    await post(
      `${this.gateway.url}/v2/send`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          message: message.text,
          number: this.gateway.sender,
          recipients: [detail.number],
        }),
      },
      this.timeoutMs,
    );
  }
}

/** A Matrix room message through the client-server API; the transaction id makes retries idempotent. */
export class MatrixChannel implements NotificationChannel {
  readonly kind = 'matrix' as const;

  constructor(
    private readonly matrix: { homeserverUrl: string; accessToken: string } | null,
    private readonly timeoutMs: number,
  ) {}

  async send(detail: ContactDetail, message: OutgoingNotification): Promise<void> {
    if (detail.channel !== 'matrix') wrong(detail);
    if (!this.matrix) throw new ChannelError('matrix_not_configured', true);
    const url = `${this.matrix.homeserverUrl}/_matrix/client/v3/rooms/${encodeURIComponent(detail.roomId)}/send/m.room.message/${encodeURIComponent(`panah-${message.id}`)}`;
    await post(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.matrix.accessToken}` },
        body: JSON.stringify({ msgtype: 'm.text', body: message.text }),
      },
      this.timeoutMs,
    );
  }
}

/** SMS through an HTTP gateway: `POST <url>` with `{to, text}` JSON and an Idempotency-Key. */
export class SmsChannel implements NotificationChannel {
  readonly kind = 'sms' as const;

  constructor(
    private readonly gateway: { url: string; token: string | null } | null,
    private readonly timeoutMs: number,
  ) {}

  async send(detail: ContactDetail, message: OutgoingNotification): Promise<void> {
    if (detail.channel !== 'sms') wrong(detail);
    if (!this.gateway) throw new ChannelError('sms_not_configured', true);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': message.id,
    };
    if (this.gateway.token) headers.authorization = `Bearer ${this.gateway.token}`;
    await post(
      this.gateway.url,
      { method: 'POST', headers, body: JSON.stringify({ to: detail.number, text: message.text }) },
      this.timeoutMs,
    );
  }
}
