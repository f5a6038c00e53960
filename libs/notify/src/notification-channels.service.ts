import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import type { ChannelKind, NotificationChannel } from './channel';
import { OutboundGuard, parseAllowList } from './outbound';
import { EmailChannel, MatrixChannel, SignalChannel, SmsChannel, WebhookChannel } from './channels';

/** Every channel, built once from the config. */
@Injectable()
export class NotificationChannels implements OnApplicationShutdown {
  private readonly email: EmailChannel;
  private readonly channels: ReadonlyMap<ChannelKind, NotificationChannel>;
  /** The SSRF guard for URLs staff choose (webhooks), also used when one is saved. */
  readonly outbound: OutboundGuard;

  constructor(@Inject(PANAH_CONFIG) config: PanahConfig) {
    const t = config.notify.timeoutMs;
    this.outbound = new OutboundGuard(parseAllowList(config.notify.allowCidrs.join(',')));
    this.email = new EmailChannel(config.notify.smtpUrl, config.notify.smtpFrom, t);
    this.channels = new Map<ChannelKind, NotificationChannel>([
      ['email', this.email],
      ['webhook', new WebhookChannel(t, this.outbound)],
      ['signal', new SignalChannel(config.notify.signal, t)],
      ['matrix', new MatrixChannel(config.notify.matrix, t)],
      ['sms', new SmsChannel(config.notify.sms, t)],
    ]);
  }

  get(kind: ChannelKind): NotificationChannel {
    const channel = this.channels.get(kind);
    if (!channel) throw new Error(`no channel ${kind}`);
    return channel;
  }

  onApplicationShutdown(): void {
    this.email.close();
  }
}
