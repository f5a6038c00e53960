/**
 * Every call the reporter client makes to the Panah API, in one module (same origin only). It
 * moves to the typed client generated from the committed OpenAPI file (`@panah/api-client`) as
 * soon as that is on main; until then the shapes here follow README "Reports" and
 * casework-api.md. No request ever carries plaintext, an access code or a secret key.
 */
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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/v1/${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (!res.ok) {
    const err = (await res.json().catch(() => ({}))) as { reason?: string; code?: string };
    throw new ApiError(res.status, err.reason ?? err.code ?? `http/${res.status}`);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

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
export type Schedule = { kind: 'interval'; everySeconds: number } | { kind: 'daily'; times: string[]; timeZone: string };
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
  meta: () => call<Meta>('GET', 'meta'),
  directory: () => call<SignedDirectory>('GET', 'keys/directory'),
  powChallenge: () => call<{ challenge: string; difficulty: number }>('POST', 'reporters/pow-challenges', {}),
  register: (body: { signPk: string; boxPk: string; duress?: { signPk: string; boxPk: string; showReports?: boolean }; pow: { challenge: string; nonce: string } }) =>
    call<{ reporterId: string }>('POST', 'reporters', body),
  challenge: (reporterId: string) => call<{ challenge: string }>('POST', 'reporters/challenges', { reporterId }),
  signIn: (reporterId: string, challenge: string, signature: string) => call<{ token: string; expiresAt: string }>('POST', 'reporters/sessions', { reporterId, challenge, signature }),
  signOut: () => call<void>('DELETE', 'reporters/sessions/current'),
  putReport: (id: string, envelope: Envelope, hints: Hints | null) => call<ReportView>('PUT', `reports/${id}`, hints ? { envelope, hints } : { envelope }),
  reports: () => call<{ items: ReportView[] }>('GET', 'reports?limit=50'),
  messages: () => call<{ items: MessageItem[] }>('GET', 'messages?limit=100'),
  putMessage: (reportId: string, id: string, envelope: Envelope) => call<unknown>('PUT', `reports/${reportId}/messages/${id}`, { envelope }),
  plan: () => call<Plan>('GET', 'checkins/plan').catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
  putPlan: (body: { schedule: Schedule; graceSeconds: number; maxPauseSeconds: number; remindersSecondsBefore?: number[] }) => call<Plan>('PUT', 'checkins/plan', body),
  pause: (until: string) => call<Plan>('POST', 'checkins/plan/pause', { until }),
  resume: () => call<Plan>('POST', 'checkins/plan/resume', {}),
  checkin: (signal: Signal) => call<unknown>('POST', 'checkins', signal),
  panic: (signal: Signal) => call<unknown>('POST', 'panic', signal),
  reminders: () => call<{ items: Reminder[] }>('GET', 'checkins/reminders'),

  /**
   * The encrypted attachment blob, with upload progress. XMLHttpRequest rather than fetch: fetch
   * reports no upload progress (and Chromium streams request bodies only over HTTP/2). Same id and
   * same bytes on every retry, so a resend is an idempotent replay.
   */
  putAttachment(reportId: string, id: string, blob: ArrayBuffer, progress: (fraction: number) => void): Promise<void> {
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
