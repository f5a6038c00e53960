/**
 * @panah/notify — channels (email, webhook, Signal, Matrix, SMS) behind one interface, the retry
 * and fallback policy, webhook signatures, and the cipher that keeps contact details encrypted.
 * It sends the one G5 text it is given; what to send and to whom is the escalation engine's.
 */
export * from './channel';
export * from './webhook-signature';
export { afterFailure, type DeliveryDecision } from './retry';
export { ContactCipher } from './contact-cipher.service';
export { NotificationChannels } from './notification-channels.service';
export { EmailChannel, WebhookChannel, SignalChannel, MatrixChannel, SmsChannel } from './channels';
export { NotifyModule } from './notify.module';
export {
  addressBytes,
  type Cidr,
  type CheckedTarget,
  forbiddenRange,
  OutboundGuard,
  OutboundRefused,
  parseAllowList,
  type Resolver,
} from './outbound';
export { type CaughtMail, DEV_MAIL_KEEP, devMailKey, readMail } from './dev-mail';
