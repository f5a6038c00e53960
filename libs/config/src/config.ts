import { envSchema, RawEnv, SECRET_VARIABLES } from './config.schema';
import { loadOrCreateDevSecrets } from './dev-secrets';

/** The typed settings of one Panah process, built once at boot and never re-read. */
export interface PanahConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly logLevel: RawEnv['LOG_LEVEL'];
  readonly deploymentId: string;
  readonly publicUrl: string;
  /** Where the built web clients are (`<dir>/reporter`, `<dir>/console`), relative to the working directory. */
  readonly webDir: string;
  readonly db: { readonly url: string; readonly poolSize: number };
  readonly redis: { readonly url: string; readonly prefix: string };
  readonly api: {
    readonly host: string;
    readonly port: number;
    readonly bodyLimitBytes: number;
    /** Express `trust proxy`: false (default), a hop count, or proxy addresses/CIDRs. */
    readonly trustProxy: false | number | readonly string[];
    /** Slow clients: headers, a JSON body, a whole request (uploads), an idle socket, keep-alive. */
    readonly timeouts: {
      readonly headersMs: number;
      readonly bodyMs: number;
      readonly requestMs: number;
      readonly idleMs: number;
      readonly keepAliveMs: number;
    };
    /** Staff sign-in throttling per account and source (issue 18). */
    readonly login: {
      readonly freeAttempts: number;
      readonly windowSeconds: number;
      readonly powBits: number;
    };
    /** Threads verifying Argon2id hashes off the event loop. */
    readonly argon2Threads: number;
    /** The read-only queue dashboard for admins at /v1/admin/queues (`QUEUE_DASHBOARD=on`); off by default. */
    readonly queueDashboard: boolean;
  };
  readonly worker: { readonly host: string; readonly port: number };
  readonly outbox: { readonly pollMs: number; readonly batchSize: number };
  readonly shutdownTimeoutMs: number;
  /** At-rest data keys (base64url), by id; `current` encrypts new data. */
  readonly dataKeys: { readonly current: string; readonly keys: ReadonlyMap<string, string> };
  /** Server key for keyed hashes (rate-limit buckets, token digests). */
  readonly tokenKey: string;
  readonly intake: {
    /** Ed25519 public key (b64u) that signs the key directory; null: no directory can be accepted. */
    readonly directoryRootPublicKey: string | null;
    /** Leading zero bits a registration proof of work needs. */
    readonly powBits: number;
    readonly sessionTtlSeconds: number;
    readonly attachmentMaxBytes: number;
    /** Per-reporter quotas: stored bytes, reports and attachments per rolling day. */
    readonly quota: {
      readonly bytes: number;
      readonly reportsPerDay: number;
      readonly attachmentsPerDay: number;
    };
  };
  readonly triage: {
    /** A second report within this window raises the reporter's case one severity level. */
    readonly repeatWindowHours: number;
    /** Reports still `received` after this long are re-enqueued by the reconciler. */
    readonly reconcileAfterSeconds: number;
    readonly reconcileEveryMs: number;
  };
  readonly escalation: {
    /** How often the sweeper looks for runs and notifications whose wake-up was lost. */
    readonly sweepEveryMs: number;
    /** How far past due a run must be before the sweeper re-enqueues it (its own job comes first). */
    readonly sweepGraceMs: number;
    /** Step and delivery jobs processed in parallel per worker. */
    readonly concurrency: number;
  };
  readonly checkins: {
    /** Shortest interval (and gap between daily times) a plan may promise. */
    readonly minIntervalSeconds: number;
    readonly maxPauseSeconds: number;
    /** How often the sweeper looks for deadlines whose delayed job Redis lost. */
    readonly sweepEveryMs: number;
    /** The sweeper leaves a deadline this long to its own delayed job first. */
    readonly sweepGraceMs: number;
    /** Panic presses within this window of the last one are the same emergency. */
    readonly panicWindowSeconds: number;
    /** The acknowledgement deadline of a case raised by a miss, a panic or duress. */
    readonly ackMinutes: number;
    /** A signed check-in or panic older than this is refused (no banking signed check-ins). */
    readonly signatureMaxAgeSeconds: number;
    readonly concurrency: number;
  };
  readonly notify: {
    /** Attempts per contact method before falling back to the recipient's next one. */
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
    readonly timeoutMs: number;
    readonly smtpUrl: string;
    readonly smtpFrom: string;
    readonly signal: { readonly url: string; readonly sender: string } | null;
    readonly matrix: { readonly homeserverUrl: string; readonly accessToken: string } | null;
    readonly sms: { readonly url: string; readonly token: string | null } | null;
    /** Private ranges webhooks may reach anyway (on-premises receivers); empty by default. */
    readonly allowCidrs: readonly string[];
  };
  /**
   * The local demo (DEMO_MODE, never with NODE_ENV=production): the worker runs a mail catcher on
   * SMTP_URL's loopback port and the API shows what it caught at /dev/mail. Null otherwise.
   */
  readonly demo: { readonly mailCatcher: { readonly host: string; readonly port: number } } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Where development secrets are kept; defaults to `.panah/dev-secrets.json` in the working directory. */
  readonly devSecretsFile?: string;
}

/**
 * Validates the environment into a PanahConfig. Throws ConfigError naming every bad variable.
 * Outside production, missing secrets are generated once into a git-ignored file so a fresh
 * clone just works; in production they are required.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions = {},
): PanahConfig {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        message: issue.message,
      })),
    );
  }
  const raw = parsed.data;
  const missing = SECRET_VARIABLES.filter((name) => raw[name] === undefined);
  let secrets = {
    deploymentId: raw.DEPLOYMENT_ID,
    dataKeys: raw.DATA_KEYS,
    dataKeyId: raw.DATA_KEY_ID,
    tokenKey: raw.TOKEN_KEY,
  };
  if (missing.length > 0) {
    if (raw.NODE_ENV === 'production') {
      throw new ConfigError(
        missing.map((variable) => ({ variable, message: 'is required when NODE_ENV=production' })),
      );
    }
    const dev = loadOrCreateDevSecrets(options.devSecretsFile);
    secrets = {
      deploymentId: secrets.deploymentId ?? dev.deploymentId,
      dataKeys: secrets.dataKeys ?? new Map([[dev.dataKeyId, dev.dataKey]]),
      dataKeyId: secrets.dataKeyId ?? (secrets.dataKeys ? undefined : dev.dataKeyId),
      tokenKey: secrets.tokenKey ?? dev.tokenKey,
    };
  }
  const keys = secrets.dataKeys as ReadonlyMap<string, string>;
  const current = secrets.dataKeyId ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (!current || !keys.has(current)) {
    throw new ConfigError([{ variable: 'DATA_KEY_ID', message: 'must name one of the keys in DATA_KEYS' }]);
  }
  return {
    env: raw.NODE_ENV,
    logLevel: raw.LOG_LEVEL,
    deploymentId: secrets.deploymentId as string,
    publicUrl: raw.PUBLIC_URL.replace(/\/+$/, ''),
    webDir: raw.WEB_DIR,
    db: { url: raw.DATABASE_URL, poolSize: raw.DATABASE_POOL_SIZE },
    redis: { url: raw.REDIS_URL, prefix: raw.REDIS_PREFIX },
    api: {
      host: raw.API_HOST,
      port: raw.API_PORT,
      bodyLimitBytes: raw.BODY_LIMIT_BYTES,
      trustProxy: raw.TRUST_PROXY,
      timeouts: {
        headersMs: raw.HTTP_HEADERS_TIMEOUT_MS,
        bodyMs: raw.HTTP_BODY_TIMEOUT_MS,
        requestMs: raw.HTTP_REQUEST_TIMEOUT_MS,
        idleMs: raw.HTTP_IDLE_TIMEOUT_MS,
        keepAliveMs: raw.HTTP_KEEPALIVE_TIMEOUT_MS,
      },
      login: {
        freeAttempts: raw.LOGIN_FREE_ATTEMPTS,
        windowSeconds: raw.LOGIN_WINDOW_SECONDS,
        powBits: raw.LOGIN_POW_BITS,
      },
      argon2Threads: raw.ARGON2_THREADS,
      queueDashboard: raw.QUEUE_DASHBOARD === 'on',
    },
    worker: { host: raw.WORKER_HOST, port: raw.WORKER_PORT },
    outbox: { pollMs: raw.OUTBOX_POLL_MS, batchSize: raw.OUTBOX_BATCH_SIZE },
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    dataKeys: { current, keys },
    tokenKey: secrets.tokenKey as string,
    intake: {
      directoryRootPublicKey: raw.DIRECTORY_ROOT_PUBLIC_KEY ?? null,
      powBits: raw.REGISTRATION_POW_BITS,
      sessionTtlSeconds: raw.REPORTER_SESSION_TTL_SECONDS,
      attachmentMaxBytes: raw.ATTACHMENT_MAX_BYTES,
      quota: {
        bytes: raw.REPORTER_QUOTA_BYTES,
        reportsPerDay: raw.REPORTER_QUOTA_REPORTS_PER_DAY,
        attachmentsPerDay: raw.REPORTER_QUOTA_ATTACHMENTS_PER_DAY,
      },
    },
    triage: {
      repeatWindowHours: raw.TRIAGE_REPEAT_WINDOW_HOURS,
      reconcileAfterSeconds: raw.TRIAGE_RECONCILE_AFTER_SECONDS,
      reconcileEveryMs: raw.TRIAGE_RECONCILE_EVERY_MS,
    },
    escalation: {
      sweepEveryMs: raw.ESCALATION_SWEEP_EVERY_MS,
      sweepGraceMs: raw.ESCALATION_SWEEP_GRACE_MS,
      concurrency: raw.ESCALATION_CONCURRENCY,
    },
    checkins: {
      minIntervalSeconds: raw.CHECKIN_MIN_INTERVAL_SECONDS,
      maxPauseSeconds: raw.CHECKIN_MAX_PAUSE_SECONDS,
      sweepEveryMs: raw.CHECKIN_SWEEP_EVERY_MS,
      sweepGraceMs: raw.CHECKIN_SWEEP_GRACE_MS,
      panicWindowSeconds: raw.CHECKIN_PANIC_WINDOW_SECONDS,
      ackMinutes: raw.CHECKIN_ACK_MINUTES,
      signatureMaxAgeSeconds: raw.CHECKIN_SIGNATURE_MAX_AGE_SECONDS,
      concurrency: raw.CHECKIN_CONCURRENCY,
    },
    notify: {
      maxAttempts: raw.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: raw.NOTIFY_RETRY_BASE_MS,
      timeoutMs: raw.NOTIFY_TIMEOUT_MS,
      smtpUrl: raw.SMTP_URL,
      smtpFrom: raw.SMTP_FROM,
      signal:
        raw.SIGNAL_GATEWAY_URL && raw.SIGNAL_SENDER
          ? { url: raw.SIGNAL_GATEWAY_URL.replace(/\/+$/, ''), sender: raw.SIGNAL_SENDER }
          : null,
      matrix:
        raw.MATRIX_HOMESERVER_URL && raw.MATRIX_ACCESS_TOKEN
          ? {
              homeserverUrl: raw.MATRIX_HOMESERVER_URL.replace(/\/+$/, ''),
              accessToken: raw.MATRIX_ACCESS_TOKEN,
            }
          : null,
      sms: raw.SMS_GATEWAY_URL ? { url: raw.SMS_GATEWAY_URL, token: raw.SMS_GATEWAY_TOKEN ?? null } : null,
      allowCidrs: raw.OUTBOUND_ALLOW_CIDRS,
    },
    demo: raw.DEMO_MODE ? { mailCatcher: smtpListenAddress(raw.SMTP_URL) } : null,
  };
}

function smtpListenAddress(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) };
}

/** An empty variable means "not set", so `FOO= node …` falls back to the default. */
function stripEmpty(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}
