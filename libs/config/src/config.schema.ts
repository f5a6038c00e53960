import { isIP } from 'node:net';
import { z } from 'zod';

const b64u32 = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url without padding (43 characters)');

const port = z.coerce.number().int().min(0).max(65535);

/**
 * `DATA_KEYS` holds every at-rest data key the server may need to decrypt with, as
 * `id:key,id:key` (key = 32 bytes base64url). `DATA_KEY_ID` names the one new data is encrypted
 * with; old ids stay listed until everything encrypted under them is re-encrypted (rotation).
 */
const dataKeys = z
  .string()
  .min(1)
  .transform((value, ctx) => {
    const keys = new Map<string, string>();
    for (const part of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [id, key, ...rest] = part.split(':');
      if (!id || !key || rest.length > 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list of id:key' });
        return z.NEVER;
      }
      if (!b64u32.safeParse(key).success) {
        ctx.addIssue({
          code: 'custom',
          message: `key "${id}" must be 32 bytes in base64url (43 characters)`,
        });
        return z.NEVER;
      }
      if (keys.has(id)) {
        ctx.addIssue({ code: 'custom', message: `key id "${id}" is listed twice` });
        return z.NEVER;
      }
      keys.set(id, key);
    }
    return keys;
  });

/** `a.b.c.d/n` or an IPv6 CIDR, or a single address; checked by net.isIP. */
const cidrList = z.string().transform((value, ctx) => {
  const out: string[] = [];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [address, prefix, ...rest] = part.split('/');
    const kind = isIP(address);
    const max = kind === 4 ? 32 : 128;
    if (
      !kind ||
      rest.length > 0 ||
      (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))
    ) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not an address or CIDR range` });
      return z.NEVER;
    }
    out.push(part);
  }
  return out;
});

/**
 * `TRUST_PROXY`: off (`false`, `0`, unset), a hop count (`1`: one reverse proxy in front), or a
 * comma-separated list of proxy addresses/CIDRs whose X-Forwarded-For is believed.
 */
const trustProxy = z.string().transform((value, ctx): false | number | string[] => {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'off' || v === '0') return false;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const parsed = cidrList.safeParse(v);
  if (!parsed.success) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be false, a hop count, or a comma-separated list of proxy addresses/CIDRs',
    });
    return z.NEVER;
  }
  return parsed.data;
});

/** The environment variables Panah reads, with their local defaults. Documented in README.md. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .url()
      .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// URL')
      .default('postgres://postgres@127.0.0.1:5432/panah'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    REDIS_URL: z
      .string()
      .url()
      .refine((u) => /^rediss?:\/\//.test(u), 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only')
      .default('panah'),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: port.default(3000),
    WORKER_HOST: z.string().min(1).default('127.0.0.1'),
    WORKER_PORT: port.default(3001),
    PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
    // The built web clients (dist/web/reporter, dist/web/console) the API serves; a missing one is skipped.
    WEB_DIR: z.string().min(1).default('dist/web'),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(16_777_216).default(1_048_576),
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    DEPLOYMENT_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,64}$/, '3-64 letters, digits, _ . -')
      .optional(),
    DATA_KEYS: dataKeys.optional(),
    DATA_KEY_ID: z.string().min(1).optional(),
    TOKEN_KEY: b64u32.optional(),
    // Intake (issue 5). The directory root key is public (Ed25519, b64u); it is configured, never
    // uploaded, so a compromised server cannot swap the keys reports are encrypted to. Optional
    // (the first deployment precedes the key ceremony): without it no directory is accepted, and
    // without a directory no report is accepted — fail closed.
    DIRECTORY_ROOT_PUBLIC_KEY: b64u32.optional(),
    REGISTRATION_POW_BITS: z.coerce.number().int().min(0).max(32).default(18),
    REPORTER_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1_800),
    ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1_024).max(268_435_456).default(26_214_400),
    // Triage (issue 6).
    TRIAGE_REPEAT_WINDOW_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    TRIAGE_RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(15),
    TRIAGE_RECONCILE_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
    // Escalation and notifications (issue 7).
    ESCALATION_SWEEP_EVERY_MS: z.coerce.number().int().min(200).max(60_000).default(2_000),
    ESCALATION_SWEEP_GRACE_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
    ESCALATION_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
    NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    SMTP_URL: z
      .string()
      .url()
      .refine((u) => /^smtps?:\/\//.test(u), 'must be an smtp:// or smtps:// URL')
      .default('smtp://127.0.0.1:1025'),
    SMTP_FROM: z.string().min(3).max(200).default('Panah <alerts@panah.invalid>'),
    SIGNAL_GATEWAY_URL: z.string().url().optional(),
    SIGNAL_SENDER: z
      .string()
      .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number')
      .optional(),
    MATRIX_HOMESERVER_URL: z.string().url().optional(),
    MATRIX_ACCESS_TOKEN: z.string().min(8).optional(),
    SMS_GATEWAY_URL: z.string().url().optional(),
    SMS_GATEWAY_TOKEN: z.string().min(8).optional(),
    // Safety check-ins, panic and duress (issue 8). Tests shrink the interval floor and sweep period.
    CHECKIN_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    CHECKIN_MAX_PAUSE_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(90 * 86_400)
      .default(30 * 86_400),
    CHECKIN_SWEEP_EVERY_MS: z.coerce.number().int().min(200).max(60_000).default(2_000),
    CHECKIN_SWEEP_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
    CHECKIN_PANIC_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    CHECKIN_ACK_MINUTES: z.coerce.number().int().min(1).max(1_440).default(10),
    CHECKIN_SIGNATURE_MAX_AGE_SECONDS: z.coerce.number().int().min(5).max(3_600).default(120),
    CHECKIN_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
    // Hardening (issue 18).
    OUTBOUND_ALLOW_CIDRS: cidrList.default([]),
    TRUST_PROXY: trustProxy.default(false),
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
    HTTP_BODY_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(180_000),
    HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
    HTTP_KEEPALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    LOGIN_FREE_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(5),
    LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
    LOGIN_POW_BITS: z.coerce.number().int().min(0).max(32).default(18),
    REPORTER_QUOTA_BYTES: z.coerce.number().int().min(1_024).max(1_099_511_627_776).default(262_144_000),
    REPORTER_QUOTA_REPORTS_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(50),
    REPORTER_QUOTA_ATTACHMENTS_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(100),
    ARGON2_THREADS: z.coerce.number().int().min(1).max(64).default(2),
    // The local demo (issue 19): a mail catcher in the worker and /dev/mail in the API. Never in production.
    DEMO_MODE: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    // The read-only queue dashboard (Bull Board) at /v1/admin/queues, for admins; off: not mounted (404).
    QUEUE_DASHBOARD: z.enum(['off', 'on']).default('off'),
  })
  .superRefine((env, ctx) => {
    if (env.DATA_KEYS && env.DATA_KEY_ID && !env.DATA_KEYS.has(env.DATA_KEY_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATA_KEY_ID'],
        message: 'must name one of the keys in DATA_KEYS',
      });
    }
    if (env.DEMO_MODE && env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['DEMO_MODE'],
        message: 'the demo (mail catcher, /dev/mail) cannot run with NODE_ENV=production',
      });
    }
    // /dev/mail has no login and shows every alert's acknowledge link: only this machine may reach it.
    if (env.DEMO_MODE && !isLoopbackHost(env.API_HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['API_HOST'],
        message:
          'with DEMO_MODE the API (and /dev/mail, which has no login) must listen on a loopback address: ' +
          '127.0.0.0/8, ::1 or localhost',
      });
    }
    if (env.DEMO_MODE && !isLoopbackSmtp(env.SMTP_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message:
          'with DEMO_MODE the mail catcher listens here: must be smtp://127.0.0.1:<port> (or localhost)',
      });
    }
    // A half-configured channel would fail every delivery at 3 a.m.; refuse it at boot instead.
    if (Boolean(env.SIGNAL_GATEWAY_URL) !== Boolean(env.SIGNAL_SENDER)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.SIGNAL_GATEWAY_URL ? 'SIGNAL_SENDER' : 'SIGNAL_GATEWAY_URL'],
        message: 'SIGNAL_GATEWAY_URL and SIGNAL_SENDER go together',
      });
    }
    if (Boolean(env.MATRIX_HOMESERVER_URL) !== Boolean(env.MATRIX_ACCESS_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.MATRIX_HOMESERVER_URL ? 'MATRIX_ACCESS_TOKEN' : 'MATRIX_HOMESERVER_URL'],
        message: 'MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN go together',
      });
    }
  });

/** 127.0.0.0/8, ::1 (bracketed or not) or localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const octets = h.split('.');
  return (
    octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  );
}

function isLoopbackSmtp(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === 'smtp:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.port !== ''
    );
  } catch {
    return false;
  }
}

export type RawEnv = z.infer<typeof envSchema>;

/** Secrets that must come from the environment in production and are generated for development. */
export const SECRET_VARIABLES = ['DEPLOYMENT_ID', 'DATA_KEYS', 'DATA_KEY_ID', 'TOKEN_KEY'] as const;
