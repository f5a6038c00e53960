/**
 * Every call the reporter client makes to the Panah API, through the typed client generated from
 * the committed OpenAPI document (`@panah/api-client`), same origin only. No request ever carries
 * plaintext, an access code or a secret key.
 */
import { createApiClient } from '@panah/api-client';
import type { Envelope, SignedDirectory } from '@panah/crypto';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's reason code (`envelope/unknown_recipient`, `rate/limited`, …) or 'network'. */
    readonly reason: string,
  ) {
    super(reason);
  }
  get offline(): boolean {
    return this.status === 0;
  }
}

let token: string | null = null;
export function setSession(t: string | null): void {
  token = t;
}
export function sessionToken(): string | null {
  return token;
}
export function hasSession(): boolean {
  return token !== null;
}

const client = createApiClient({
  baseUrl: globalThis.location?.origin ?? '',
  token: () => token ?? undefined,
  fetch: (request) =>
    fetch(new Request(request, { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' })),
});

/** The answer's body, or an ApiError with the API's reason code (status 0: no connection). */
async function run<T>(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch {
    throw new ApiError(0, 'network');
  }
  if (!result.response.ok) {
    const err = (result.error ?? {}) as { reason?: string; code?: string };
    throw new ApiError(result.response.status, err.reason ?? err.code ?? `http/${result.response.status}`);
  }
  return result.data as T;
}

/** Bodies whose OpenAPI schema is an open object (envelopes, plans): the API validates them. */
const loose = (value: unknown): never => value as never;

export interface Meta {
  deploymentId: string;
  limits: { attachmentBytes: number; attachmentsPerReport: number };
  registration: { proofOfWork: { difficulty: number } };
}
export type ReportStatus = 'received' | 'triaged' | 'in_progress' | 'closed';
export interface ReportView {
  id: string;
  status: ReportStatus;
  receivedAt: string;
}
export interface MessageItem {
  id: string;
  reportId: string | null;
  caseId?: string | null;
  from: 'staff' | 'reporter';
  envelope: Envelope;
  createdAt: string;
}
export interface Hints {
  category?: string;
  imminence?: string;
  country?: string;
  perpetrator?: string;
  namedOnList?: boolean;
  language?: string;
}
export type Schedule =
  { kind: 'interval'; everySeconds: number } | { kind: 'daily'; times: string[]; timeZone: string };
export interface Plan {
  schedule: Schedule;
  status: 'active' | 'paused' | 'overdue';
  nextDeadline: string;
  alertAt: string;
  pausedUntil: string | null;
  lastCheckinAt: string | null;
  maxPauseSeconds: number;
}
export interface Reminder {
  deadline: string;
  remindAt: string;
}
export interface Signal {
  id: string;
  at: string;
  kid: string;
  signature: string;
}

export const api = {
  meta: () => run<Meta>(client.GET('/v1/meta')),
  directory: () => run<SignedDirectory>(client.GET('/v1/keys/directory')),
  powChallenge: () =>
    run<{ challenge: string; difficulty: number }>(client.POST('/v1/reporters/pow-challenges')),
  register: (body: {
    signPk: string;
    boxPk: string;
    duress?: { signPk: string; boxPk: string; showReports?: boolean };
    pow: { challenge: string; nonce: string };
  }) => run<{ reporterId: string }>(client.POST('/v1/reporters', { body })),
  challenge: (reporterId: string) =>
    run<{ challenge: string }>(client.POST('/v1/reporters/challenges', { body: { reporterId } })),
  signIn: (reporterId: string, challenge: string, signature: string) =>
    run<{ token: string; expiresAt: string }>(
      client.POST('/v1/reporters/sessions', { body: { reporterId, challenge, signature } }),
    ),
  signOut: () => run<void>(client.DELETE('/v1/reporters/sessions/current')),
  putReport: (id: string, envelope: Envelope, hints: Hints | null) =>
    run<ReportView>(
      client.PUT('/v1/reports/{id}', {
        params: { path: { id } },
        body: loose(hints ? { envelope, hints } : { envelope }),
      }),
    ),
  reports: () =>
    run<{ items: ReportView[] }>(client.GET('/v1/reports', { params: { query: { limit: 50 } } })),
  messages: () =>
    run<{ items: MessageItem[] }>(client.GET('/v1/messages', { params: { query: { limit: 100 } } })),
  putMessage: (reportId: string, id: string, envelope: Envelope) =>
    run<unknown>(
      client.PUT('/v1/reports/{reportId}/messages/{messageId}', {
        params: { path: { reportId, messageId: id } },
        body: loose({ envelope }),
      }),
    ),
  plan: () =>
    run<Plan>(client.GET('/v1/checkins/plan')).catch((e: unknown) =>
      e instanceof ApiError && e.status === 404 ? null : Promise.reject(e),
    ),
  putPlan: (body: {
    schedule: Schedule;
    graceSeconds: number;
    maxPauseSeconds: number;
    remindersSecondsBefore?: number[];
  }) => run<Plan>(client.PUT('/v1/checkins/plan', { body: loose(body) })),
  pause: (until: string) => run<Plan>(client.POST('/v1/checkins/plan/pause', { body: loose({ until }) })),
  resume: () => run<Plan>(client.POST('/v1/checkins/plan/resume')),
  checkin: (signal: Signal) => run<unknown>(client.POST('/v1/checkins', { body: loose(signal) })),
  panic: (signal: Signal) => run<unknown>(client.POST('/v1/panic', { body: loose(signal) })),
  reminders: () => run<{ items: Reminder[] }>(client.GET('/v1/checkins/reminders')),

  /**
   * The encrypted attachment blob, with upload progress. XMLHttpRequest rather than fetch: fetch
   * reports no upload progress (and Chromium streams request bodies only over HTTP/2). Same id and
   * same bytes on every retry, so a resend is an idempotent replay.
   */
  putAttachment(
    reportId: string,
    id: string,
    blob: ArrayBuffer,
    progress: (fraction: number) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', `/v1/reports/${reportId}/attachments/${id}`);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
      xhr.onerror = () => reject(new ApiError(0, 'network'));
      xhr.ontimeout = () => reject(new ApiError(0, 'network'));
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) return resolve();
        let reason = `http/${xhr.status}`;
        try {
          reason = (JSON.parse(xhr.responseText) as { reason?: string }).reason ?? reason;
        } catch {
          /* not JSON */
        }
        reject(new ApiError(xhr.status, reason));
      };
      xhr.send(blob);
    });
  },
};
