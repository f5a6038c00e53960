import { z } from 'zod';

/**
 * One interface for every way of reaching a person. A channel sends the one G5 text it is given
 * and nothing else; it never logs the address it sends to. Failures are classified: `permanent`
 * ones (a rejected address, a 4xx) skip straight to the recipient's next contact method,
 * transient ones are retried with backoff first.
 */
export const CHANNEL_KINDS = ['email', 'webhook', 'signal', 'matrix', 'sms'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number like +4915112345678');
const httpUrl = z
  .string()
  .url()
  .max(500)
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

/** What a staff member enters per channel (validated by the API, stored encrypted). */
export const contactDetailSchemas = {
  email: z.object({ address: z.string().email().max(254) }).strict(),
  webhook: z.object({ url: httpUrl }).strict(),
  signal: z.object({ number: e164 }).strict(),
  matrix: z
    .object({
      roomId: z
        .string()
        .regex(/^![A-Za-z0-9._=-]{1,255}:[A-Za-z0-9.:-]{1,255}$/, 'must be a room id like !abc:example.org'),
    })
    .strict(),
  sms: z.object({ number: e164 }).strict(),
} as const satisfies Record<ChannelKind, z.ZodType>;

/** The stored detail: what the person entered, plus a webhook's signing secret (server-generated). */
export type ContactDetail =
  | { readonly channel: 'email'; readonly address: string }
  | { readonly channel: 'webhook'; readonly url: string; readonly secret: string }
  | { readonly channel: 'signal'; readonly number: string }
  | { readonly channel: 'matrix'; readonly roomId: string }
  | { readonly channel: 'sms'; readonly number: string };

export interface OutgoingNotification {
  /** The notification's id: receivers may deduplicate retried deliveries by it. */
  readonly id: string;
  /** Attempt number, for transaction ids that must differ per attempt. */
  readonly attempt: number;
  readonly subject: string;
  /** The padded G5 text (see notificationText). */
  readonly text: string;
}

export class ChannelError extends Error {
  constructor(
    /** A short class of failure (`smtp_rejected`, `http_503`, `timeout`), safe to store and show. */
    readonly code: string,
    readonly permanent: boolean,
  ) {
    super(`delivery failed: ${code}`);
    this.name = 'ChannelError';
  }
}

export interface NotificationChannel {
  readonly kind: ChannelKind;
  /** Resolves once the channel accepted the message; throws ChannelError otherwise. */
  send(detail: ContactDetail, message: OutgoingNotification): Promise<void>;
}

/** Map an HTTP status to success, a transient failure or a permanent one. */
export function httpOutcome(status: number): ChannelError | null {
  if (status >= 200 && status < 300) return null;
  const transient = status === 408 || status === 425 || status === 429 || status >= 500;
  return new ChannelError(`http_${status}`, !transient);
}

/** A network error or timeout from fetch, as a transient ChannelError. */
export function networkError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const name = error instanceof Error ? error.name : '';
  return new ChannelError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network', false);
}
