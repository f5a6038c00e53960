/**
 * Response schemas (with examples) of the operations whose controllers return plain objects, and
 * precise types for DTO properties that Swagger's metadata reads as `object`. Applied to the
 * document by buildOpenApiDocument; keyed by operation id (`Controller_method`). A route added
 * without a response schema fails apps/api/src/openapi.spec.ts, so this list cannot fall behind.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (example: string, extra: Schema = {}): Schema => ({ type: 'string', example, ...extra });
const int = (example: number, extra: Schema = {}): Schema => ({ type: 'integer', example, ...extra });
const bool = (example: boolean): Schema => ({ type: 'boolean', example });
const nullable = (s: Schema): Schema => ({ ...s, nullable: true });
const arr = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
const en = (values: readonly string[], example = values[0]): Schema => ({
  type: 'string',
  enum: values,
  example,
});
/** An object whose listed properties are all required unless named in `optional`. */
const obj = (
  properties: Record<string, Schema>,
  optional: readonly string[] = [],
  extra: Schema = {},
): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
  ...extra,
});

const UUID = '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b';
const TIME = '2026-12-01T09:30:00.000Z';
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const uuid = (example = UUID): Schema => str(example, { format: 'uuid' });
const time = (example = TIME): Schema => str(example, { format: 'date-time' });
const b64u = (example: string, description: string): Schema => str(example, { description });
const page = (item: Schema): Schema =>
  obj({
    items: arr(item),
    nextCursor: nullable(
      str('eyJkIjoiMjAyNi0xMi0wMSJ9', {
        description: 'pass as `cursor` for the next page; null on the last',
      }),
    ),
  });

const TEAM_ROUTE = {
  oneOf: [obj({ kind: en(['team']), teamId: uuid() }), obj({ kind: en(['by_region']) })],
  example: { kind: 'by_region' },
};
const TRIAGE_OUTCOME = obj({
  severity: en(SEVERITIES, 'high'),
  route: TEAM_ROUTE,
  policyId: nullable(uuid()),
  deadlineMinutes: int(15, {
    minimum: 1,
    maximum: 10_080,
    description: 'minutes from triage until the case must be acknowledged',
  }),
});
const TRIAGE_CONDITION = obj(
  {
    category: arr(str('death_threat'), { description: 'any of these hint categories (see GET /v1/meta)' }),
    imminence: arr(str('days')),
    country: arr(str('DE', { description: 'ISO 3166-1 alpha-2' })),
    perpetrator: arr(str('state_agent')),
    namedOnList: bool(true),
    language: arr(str('fa')),
    noHints: bool(false),
  },
  ['category', 'imminence', 'country', 'perpetrator', 'namedOnList', 'language', 'noHints'],
  {
    description:
      'every field given must match (AND); a list matches any of its values; `{}` matches every report',
  },
);
const TRIAGE_RULE_SET = obj(
  {
    rules: arr(
      obj({ name: str('named on a list'), when: TRIAGE_CONDITION, then: TRIAGE_OUTCOME }, ['name']),
      { maxItems: 200, description: 'first match wins' },
    ),
    default: TRIAGE_OUTCOME,
    defaultTeamId: nullable(uuid()),
  },
  [],
  {
    example: {
      rules: [
        {
          name: 'named on a list',
          when: { namedOnList: true },
          then: { severity: 'critical', route: { kind: 'by_region' }, policyId: UUID, deadlineMinutes: 10 },
        },
      ],
      default: { severity: 'medium', route: { kind: 'by_region' }, policyId: UUID, deadlineMinutes: 240 },
      defaultTeamId: UUID,
    },
  },
);
const RULE_SET_VERSION = obj({
  version: int(3),
  active: bool(true),
  definition: ref('TriageRuleSet'),
  createdBy: nullable(uuid()),
  createdAt: time(),
  activatedBy: nullable(uuid()),
  activatedAt: nullable(time()),
});
const TRIAGE_DECISION = obj({
  severity: en(SEVERITIES, 'critical'),
  teamId: nullable(uuid()),
  policyId: nullable(uuid()),
  deadlineMinutes: int(10),
  matched: {
    oneOf: [{ type: 'integer' }, en(['default'])],
    example: 0,
    description: 'index of the matching rule, or "default"',
  },
  ruleName: nullable(str('named on a list')),
  routedBy: en(['team', 'region', 'language', 'default_team', 'none'], 'region'),
  explanation: arr(str('rule 0 "named on a list" matched: namedOnList')),
});
const TRIAGE_HINTS = obj(
  {
    category: str('death_threat'),
    imminence: str('days'),
    country: str('DE'),
    perpetrator: str('state_agent'),
    namedOnList: bool(true),
    language: str('fa'),
  },
  ['category', 'imminence', 'country', 'perpetrator', 'namedOnList', 'language'],
  { description: 'triage hints in the clear (values: GET /v1/meta `hints`); encrypted at rest on arrival' },
);

const TARGET = {
  oneOf: [
    obj({ type: en(['staff']), staffId: uuid() }),
    obj({ type: en(['team']), teamId: uuid() }),
    obj({ type: en(['on_call']), teamId: uuid() }),
    obj({ type: en(['supervisors']), teamId: uuid() }),
  ],
  example: { type: 'on_call', teamId: UUID },
};
/** Optional in a request: a policy the API stores always has it (libs/domain escalation/policy.ts). */
const NOTIFY_MODE: Schema = { ...en(['all', 'round_robin']), default: 'all' };
const STEP = {
  oneOf: [
    obj({ type: en(['notify']), targets: arr(TARGET, { maxItems: 20 }), mode: NOTIFY_MODE }, ['mode']),
    obj(
      {
        type: en(['notify_if']),
        condition: {
          oneOf: [
            obj({ type: en(['severity_at_least']), severity: en(SEVERITIES, 'high') }),
            obj({ type: en(['local_time_between']), from: str('22:00'), to: str('07:00') }),
          ],
        },
        targets: arr(TARGET, { maxItems: 20 }),
        mode: NOTIFY_MODE,
      },
      ['mode'],
    ),
    obj({ type: en(['wait']), seconds: int(300, { minimum: 1, maximum: 604_800 }) }),
    obj({ type: en(['repeat']), fromStep: int(0), times: int(2, { maximum: 10 }) }),
    obj({ type: en(['mark_overdue']) }),
  ],
  example: { type: 'wait', seconds: 300 },
};
const POLICY_DEFINITION = obj(
  {
    steps: arr(STEP, { maxItems: 50 }),
    ackTimeoutSeconds: nullable(
      int(3600, {
        description: 'an acknowledged run with no progress for this long is re-activated; null: never',
        default: null,
      }),
    ),
    maxSnoozeSeconds: int(1800, { default: 3600 }),
  },
  // Optional in a request (the defaults apply); a stored policy always has both.
  ['ackTimeoutSeconds', 'maxSnoozeSeconds'],
  {
    example: {
      steps: [
        { type: 'notify', targets: [{ type: 'on_call', teamId: UUID }], mode: 'all' },
        { type: 'wait', seconds: 300 },
        { type: 'notify', targets: [{ type: 'supervisors', teamId: UUID }], mode: 'all' },
        { type: 'wait', seconds: 600 },
        { type: 'repeat', fromStep: 0, times: 2 },
        { type: 'mark_overdue' },
      ],
      ackTimeoutSeconds: 3600,
      maxSnoozeSeconds: 1800,
    },
  },
);
const POLICY = obj({
  id: uuid(),
  name: str('Critical: Berlin desk'),
  version: int(2),
  definition: ref('PolicyDefinition'),
  updatedAt: time(),
});
const SIMULATION = obj({
  policyVersion: int(2),
  finalState: en(['acknowledged', 'exhausted']),
  events: arr(
    obj(
      {
        at: time(),
        kind: en(['notify', 'overdue', 'exhausted', 'acknowledged', 'reactivated']),
        step: int(0),
        round: int(0),
        staffId: uuid(),
        channel: nullable(str('email')),
        by: uuid(),
      },
      ['step', 'round', 'staffId', 'channel', 'by'],
    ),
    { description: 'the exact timeline: who is notified when, through which channel, when it stops' },
  ),
});
const RUN = obj({
  id: uuid(),
  caseId: uuid(),
  shortRef: str('K7Q2'),
  severity: en(SEVERITIES, 'critical'),
  state: en(['active', 'acknowledged', 'resolved', 'exhausted', 'snoozed']),
  policyId: uuid(),
  policyVersion: int(2),
  step: int(1),
  round: int(0),
  nextStepAt: nullable(time()),
  overdue: bool(false),
});
const RUN_EVENT = obj({
  id: str('42'),
  at: time(),
  kind: str('notified', {
    description:
      'started, notified, waited, repeated, acknowledged, snoozed, resolved, reactivated, overdue, exhausted',
  }),
  step: nullable(int(0)),
  round: nullable(int(0)),
  actorId: nullable(uuid()),
  details: {
    type: 'object',
    additionalProperties: true,
    example: { severity: 'critical', policyVersion: 2 },
    description: 'ids and numbers only, never content',
  },
});
const NOTIFICATION = obj({
  id: uuid(),
  kind: str('escalation', { description: 'escalation or case_update' }),
  eventKey: nullable(str('checkin-after-alert:…')),
  step: nullable(int(0)),
  round: nullable(int(0)),
  recipientId: uuid(),
  channel: str('email'),
  status: str('delivered', { description: 'pending, delivered, failed, cancelled' }),
  attempts: int(1),
  fallbackOf: nullable(uuid()),
  lastError: nullable(str('webhook_failed')),
  createdAt: time(),
  deliveredAt: nullable(time()),
  attemptLog: arr(
    obj({
      attempt: int(1),
      outcome: str('delivered'),
      error: nullable(str('timeout')),
      startedAt: time(),
      finishedAt: nullable(time()),
    }),
  ),
});
const CONTACT_METHOD = obj({
  id: uuid(),
  channel: en(['email', 'webhook', 'signal', 'matrix', 'sms'], 'email'),
  priority: int(0),
  enabled: bool(true),
});

const SCHEDULE = {
  oneOf: [
    obj({
      kind: en(['interval']),
      everySeconds: int(86_400, { description: 'at least CHECKIN_MIN_INTERVAL_SECONDS' }),
    }),
    obj({ kind: en(['daily']), times: arr(str('09:00'), { minItems: 1 }), timeZone: str('Europe/Berlin') }),
  ],
  example: { kind: 'daily', times: ['09:00', '21:00'], timeZone: 'Europe/Berlin' },
};
const PLAN = obj({
  id: uuid(),
  status: en(['active', 'paused', 'overdue']),
  schedule: SCHEDULE,
  graceSeconds: int(900),
  remindersSecondsBefore: arr(int(600)),
  maxPauseSeconds: int(604_800),
  missSeverity: en(SEVERITIES, 'critical'),
  nextDeadline: time(),
  alertAt: time('2026-12-01T09:45:00.000Z'),
  pausedUntil: nullable(time()),
  lastCheckinAt: nullable(time()),
});

const DIRECTORY = obj(
  {
    v: int(1, { enum: [1] }),
    payload: b64u('eyJ2IjoxLCJzZXJpYWwiOjF9', 'b64u of the canonical JSON payload (crypto-v1 §5)'),
    sig: b64u('3q2-7w…', 'Ed25519 signature by the root key, b64u'),
  },
  [],
  {
    description:
      'a key directory signed offline with the organisation root key (`panah keys directory sign`)',
  },
);
const REPORT = obj({
  id: uuid(),
  status: en(['received', 'triaged', 'failed'], 'received'),
  receivedAt: time(),
});
const REPORTER_MESSAGE = obj(
  {
    id: uuid(),
    reportId: nullable(uuid()),
    caseId: nullable(uuid()),
    from: en(['staff', 'reporter']),
    envelope: ref('EnvelopeDto'),
    createdAt: time(),
  },
  [],
  {},
);
/** Named schemas added to components.schemas. */
export const NAMED_SCHEMAS: Record<string, Schema> = {
  TriageRuleSet: TRIAGE_RULE_SET,
  TriageHints: TRIAGE_HINTS,
  TriageRuleSetVersion: RULE_SET_VERSION,
  TriageDecision: TRIAGE_DECISION,
  PolicyDefinition: POLICY_DEFINITION,
  EscalationPolicy: POLICY,
  EscalationRun: RUN,
  ContactMethod: CONTACT_METHOD,
  CheckinSchedule: SCHEDULE,
  CheckinPlan: PLAN,
  SignedDirectory: DIRECTORY,
  Report: REPORT,
  ReporterMessage: REPORTER_MESSAGE,
};

/**
 * A documented response: its schema, and optionally named example bodies and response headers
 * (an error a client acts on: the 413s and 429s of intake, with `Retry-After`).
 */
export interface DocumentedResponse {
  readonly description: string;
  readonly schema: Schema;
  readonly examples?: Readonly<Record<string, { summary: string; value: Record<string, unknown> }>>;
  readonly headers?: Readonly<Record<string, Schema>>;
}

const ERROR_BODY = ref('ErrorBody');
/** kid(signPk): 16 bytes in base64url (not a UUID). */
const REPORTER_ID = str('FAKE-reporter-AAAAAAAA', {
  pattern: '^[A-Za-z0-9_-]{22}$',
  description: 'kid(signPk) of the primary keys: sign in with it',
});
/** An error body example as the error filter sends it. */
const errorExample = (
  summary: string,
  statusCode: number,
  code: string,
  reason: string | null,
  message: string,
  fields: { path: string; message: string }[] = [],
): { summary: string; value: Record<string, unknown> } => ({
  summary,
  value: {
    statusCode,
    code,
    ...(reason ? { reason } : {}),
    message,
    ...(fields.length > 0 ? { fields } : {}),
  },
});
const RETRY_AFTER = {
  'Retry-After': {
    description: 'whole seconds until a retry may succeed',
    schema: { type: 'integer', example: 1 },
  },
};

/** The 413 and 429 the intake PUT routes answer (ReportService, AttachmentService, libs/intake/src/errors.ts). */
const REPORT_TOO_LARGE: DocumentedResponse = {
  description:
    '`request/payload_too_large`: the JSON body (envelope and hints) is over `BODY_LIMIT_BYTES` (`limits.bodyBytes` of GET /v1/meta)',
  schema: ERROR_BODY,
  examples: {
    body_limit: errorExample(
      'the body is over BODY_LIMIT_BYTES',
      413,
      'request/payload_too_large',
      null,
      'Request body exceeds 1048576 bytes',
    ),
  },
};
const REPORTS_PER_DAY: DocumentedResponse = {
  description:
    '`request/rate_limited`: `quota/reports_per_day`, this reporter filed REPORTER_QUOTA_REPORTS_PER_DAY reports this UTC day (`Retry-After`: the seconds until the next UTC day); nothing was stored',
  schema: ERROR_BODY,
  headers: RETRY_AFTER,
  examples: {
    reports_per_day: errorExample(
      'the daily report quota is used up',
      429,
      'request/rate_limited',
      'quota/reports_per_day',
      'At most 50 reports per day (UTC); retry after 31245 s',
      [
        {
          path: 'quota.reportsPerDay',
          message: 'at most 50 reports per day (REPORTER_QUOTA_REPORTS_PER_DAY)',
        },
      ],
    ),
  },
};
const ATTACHMENT_TOO_LARGE: DocumentedResponse = {
  description:
    '`request/payload_too_large`: `attachment/too_large`, the blob (by `Content-Length`, or while streaming) is over `ATTACHMENT_MAX_BYTES` (`limits.attachmentBytes` of GET /v1/meta); `quota/bytes_stored`, it does not fit in what is left of REPORTER_QUOTA_BYTES for this reporter. Nothing is kept',
  schema: ERROR_BODY,
  examples: {
    too_large: errorExample(
      'over ATTACHMENT_MAX_BYTES',
      413,
      'request/payload_too_large',
      'attachment/too_large',
      'Attachments are limited to 26214400 bytes',
      [{ path: 'body', message: 'must be at most 26214400 bytes' }],
    ),
    bytes_stored: errorExample(
      "over the reporter's bytes quota",
      413,
      'request/payload_too_large',
      'quota/bytes_stored',
      'A reporter stores at most 262144000 bytes of attachments (120000 left)',
      [{ path: 'quota.bytes', message: 'at most 262144000 bytes stored (REPORTER_QUOTA_BYTES)' }],
    ),
  },
};
const ATTACHMENT_RATE_LIMITED: DocumentedResponse = {
  description:
    '`request/rate_limited`: `quota/uploads_in_flight`, another upload of this reporter is still in progress (send attachments one after another; `Retry-After`: 1); `quota/attachments_per_day`, REPORTER_QUOTA_ATTACHMENTS_PER_DAY attachments were stored this UTC day (`Retry-After`: the seconds until the next UTC day). Nothing is kept',
  schema: ERROR_BODY,
  headers: RETRY_AFTER,
  examples: {
    uploads_in_flight: errorExample(
      'another upload of this reporter is in progress',
      429,
      'request/rate_limited',
      'quota/uploads_in_flight',
      'Another attachment upload of this reporter is in progress; send attachments one at a time',
      [{ path: 'quota.uploadsInFlight', message: 'at most 1 attachment upload in flight per reporter' }],
    ),
    attachments_per_day: errorExample(
      'the daily attachment quota is used up',
      429,
      'request/rate_limited',
      'quota/attachments_per_day',
      'At most 100 attachments per day (UTC); retry after 31245 s',
      [
        {
          path: 'quota.attachmentsPerDay',
          message: 'at most 100 attachments per day (REPORTER_QUOTA_ATTACHMENTS_PER_DAY)',
        },
      ],
    ),
  },
};

const REPORT_CONFLICT: DocumentedResponse = {
  description:
    '`request/conflict`: `report/conflict`, a different report is stored under this id; `directory/not_published`, no key directory exists yet to address reports to',
  schema: ERROR_BODY,
  examples: {
    report_conflict: errorExample(
      'another report under this id',
      409,
      'request/conflict',
      'report/conflict',
      'A different report already exists under this id',
      [{ path: 'id', message: 'is already used by a different report' }],
    ),
  },
};
const ATTACHMENT_CONFLICT: DocumentedResponse = {
  description:
    '`request/conflict`: `attachment/conflict`, different bytes are stored under this attachment id',
  schema: ERROR_BODY,
  examples: {
    attachment_conflict: errorExample(
      'other bytes under this id',
      409,
      'request/conflict',
      'attachment/conflict',
      'A different attachment already exists under this id',
      [{ path: 'attachmentId', message: 'is already used by a different blob' }],
    ),
  },
};
const ATTACHMENT_MEDIA_TYPE: DocumentedResponse = {
  description:
    '`request/unsupported_media_type`: `attachment/media_type`, the body is not `application/octet-stream`',
  schema: ERROR_BODY,
  examples: {
    media_type: errorExample(
      'not application/octet-stream',
      415,
      'request/unsupported_media_type',
      'attachment/media_type',
      'Attachments are sent as application/octet-stream',
      [{ path: 'content-type', message: 'must be application/octet-stream' }],
    ),
  },
};

/** Success responses (and the errors a client acts on) by operation id and status. */
export const RESPONSES: Record<string, Record<string, DocumentedResponse>> = {
  MetaController_meta: {
    '200': {
      description: 'what a client needs before deriving keys and sending',
      schema: obj({
        deploymentId: str('panah-berlin-1'),
        versions: obj({ api: arr(int(1)), crypto: arr(int(1)), envelope: arr(int(2)) }),
        limits: obj({
          bodyBytes: int(1_048_576),
          attachmentBytes: int(26_214_400),
          attachmentsPerReport: int(10),
          recipients: int(64),
          sessionSeconds: int(1800),
        }),
        registration: obj({ proofOfWork: obj({ algorithm: en(['sha256']), difficulty: int(18) }) }),
        hints: obj({
          category: arr(str('death_threat')),
          imminence: arr(str('days')),
          perpetrator: arr(str('state_agent')),
          language: arr(str('fa')),
          country: str('ISO 3166-1 alpha-2'),
          namedOnList: str('boolean'),
        }),
      }),
    },
  },
  KeysController_directory: {
    '200': {
      description: 'the current signed key directory; verify it against the pinned root key',
      schema: ref('SignedDirectory'),
    },
  },
  KeysController_publish: {
    '200': { description: 'this directory was already the current one', schema: obj({ serial: str('3') }) },
    '201': { description: 'published', schema: obj({ serial: str('3') }) },
  },
  ReportersController_powChallenge: {
    '201': {
      description: 'find a nonce with `difficulty` leading zero bits of SHA-256(challenge ‖ nonce)',
      schema: obj({
        challenge: b64u('q1w2e3…', '32 bytes'),
        difficulty: int(18),
        algorithm: en(['sha256']),
        expiresAt: time(),
      }),
    },
  },
  ReportersController_register: {
    '200': { description: 'a retry with exactly the same keys', schema: obj({ reporterId: REPORTER_ID }) },
    '201': { description: 'registered', schema: obj({ reporterId: REPORTER_ID }) },
  },
  ReportersController_challenge: {
    '201': {
      description: 'sign `panah/v1/signin/<challenge>` with the sign key',
      schema: obj({ challenge: b64u('a9s8d7…', '32 bytes'), expiresAt: time() }),
    },
  },
  ReportersController_signIn: {
    '201': {
      description: 'a reporter session (Bearer pr_…)',
      schema: obj({ token: str('pr_Jq3…'), expiresAt: time() }),
    },
  },
  ReportsController_submit: {
    '200': { description: 'an identical replay of a stored report', schema: ref('Report') },
    '201': { description: 'stored; it will be triaged even if Redis is down (G3)', schema: ref('Report') },
    '409': REPORT_CONFLICT,
    '413': REPORT_TOO_LARGE,
    '429': REPORTS_PER_DAY,
  },
  ReportsController_get: { '200': { description: "one of this reporter's reports", schema: ref('Report') } },
  ReportsController_list: {
    '200': { description: "this reporter's reports, newest first", schema: page(ref('Report')) },
  },
  ReportsController_upload: {
    '200': {
      description: 'a retried upload of the same bytes: the attachment was already stored',
      schema: obj({ id: uuid(), size: int(524_288) }),
    },
    '201': {
      description: 'the attachment is stored',
      schema: obj({ id: uuid(), size: int(524_288) }),
    },
    '409': ATTACHMENT_CONFLICT,
    '413': ATTACHMENT_TOO_LARGE,
    '415': ATTACHMENT_MEDIA_TYPE,
    '429': ATTACHMENT_RATE_LIMITED,
  },
  ReportsController_listMessages: {
    '200': {
      description: 'the conversation, both directions, newest first',
      schema: page(ref('ReporterMessage')),
    },
  },
  CheckinsController_getPlan: { '200': { description: 'the check-in plan', schema: ref('CheckinPlan') } },
  CheckinsController_putPlan: {
    '200': { description: 'the plan was replaced', schema: ref('CheckinPlan') },
    '201': { description: 'the plan was created', schema: ref('CheckinPlan') },
  },
  CheckinsController_pause: {
    '200': { description: 'paused until `pausedUntil`', schema: ref('CheckinPlan') },
  },
  CheckinsController_resume: { '200': { description: 'active again', schema: ref('CheckinPlan') } },
  CheckinsController_checkIn: {
    '200': {
      description: 'a retry of a recorded check-in',
      schema: obj({ id: uuid(), checkedInAt: time(), nextDeadline: nullable(time()) }),
    },
    '201': {
      description: 'recorded; the deadline moved',
      schema: obj({ id: uuid(), checkedInAt: time(), nextDeadline: nullable(time()) }),
    },
  },
  CheckinsController_reminders: {
    '200': {
      description: 'reminders in the inbox, newest first',
      schema: obj({ items: arr(obj({ deadline: time(), remindAt: time('2026-12-01T09:20:00.000Z') })) }),
    },
  },
  CheckinsController_panic: {
    '200': {
      description: 'a retry, or a press within the panic window of the last one',
      schema: obj({ id: uuid(), receivedAt: time() }),
    },
    '201': {
      description: 'a critical case is opened or raised at once',
      schema: obj({ id: uuid(), receivedAt: time() }),
    },
  },
  CaseCheckinsController_list: {
    '200': {
      description: "check-in times and outcomes of the case's reporter, never contents",
      schema: obj({
        checkins: arr(
          obj({
            id: uuid(),
            at: time(),
            outcome: str('on_time', { description: 'on_time, late, after_alert, recorded, duress' }),
            hasNote: bool(false),
          }),
        ),
        events: arr(obj({ kind: str('missed_checkin'), at: time() })),
        nextCursor: nullable(str('eyJhdCI6…')),
      }),
    },
  },
  TriageRulesController_history: {
    '200': { description: 'every rule-set version, newest first', schema: arr(ref('TriageRuleSetVersion')) },
  },
  TriageRulesController_create: {
    '201': { description: 'a new version (activated if asked)', schema: ref('TriageRuleSetVersion') },
  },
  TriageRulesController_active: {
    '200': {
      description: 'the active rule set (version null: the built-in default)',
      schema: obj({ version: nullable(int(3)), definition: ref('TriageRuleSet') }),
    },
  },
  TriageRulesController_activate: {
    '200': { description: 'this version is now the active one', schema: ref('TriageRuleSetVersion') },
  },
  TriageRulesController_dryRun: {
    '200': {
      description: 'what triage would decide',
      schema: obj({
        ruleSetVersion: { oneOf: [{ type: 'integer' }, en(['draft'])], nullable: true, example: 'draft' },
        hintsGiven: bool(true),
        decision: ref('TriageDecision'),
      }),
    },
  },
  AdminEscalationPoliciesController_create: {
    '201': { description: 'version 1 of a new policy', schema: ref('EscalationPolicy') },
  },
  AdminEscalationPoliciesController_list: {
    '200': { description: 'every policy at its latest version', schema: arr(ref('EscalationPolicy')) },
  },
  AdminEscalationPoliciesController_get: {
    '200': { description: 'the policy at its latest version', schema: ref('EscalationPolicy') },
  },
  AdminEscalationPoliciesController_update: {
    '200': {
      description: 'a new version (running escalations keep theirs)',
      schema: ref('EscalationPolicy'),
    },
  },
  AdminEscalationPoliciesController_simulate: {
    '201': { description: 'the timeline the engine would follow', schema: SIMULATION },
  },
  AdminOnCallController_set: { '200': { description: 'the rotation is set', schema: obj({ id: uuid() }) } },
  AdminOnCallController_who: {
    '200': {
      description: 'who is on call at `at` (default now)',
      schema: obj({ at: time(), staffId: nullable(uuid()) }),
    },
  },
  AdminOnCallController_override: {
    '201': { description: 'the override is set', schema: obj({ id: uuid() }) },
  },
  EscalationsController_byCase: {
    '200': { description: "the case's escalation", schema: ref('EscalationRun') },
  },
  EscalationsController_get: { '200': { description: 'the escalation', schema: ref('EscalationRun') } },
  EscalationsController_runHistory: {
    '200': {
      description: 'every step and notification with its delivery attempts (no addresses, no content)',
      schema: obj({ run: ref('EscalationRun'), events: arr(RUN_EVENT), notifications: arr(NOTIFICATION) }),
    },
  },
  EscalationsController_acknowledge: {
    '200': { description: 'acknowledged; pending notifications are cancelled', schema: ref('EscalationRun') },
  },
  EscalationsController_snooze: { '200': { description: 'snoozed', schema: ref('EscalationRun') } },
  EscalationsController_resolve: { '200': { description: 'resolved', schema: ref('EscalationRun') } },
  EscalationLinksController_describe: {
    '200': { description: 'what the link is for (never acknowledges)', schema: ref('EscalationRun') },
  },
  EscalationLinksController_acknowledge: {
    '200': { description: 'acknowledged through the link', schema: ref('EscalationRun') },
  },
  MyNotificationsController_list: {
    '200': {
      description: 'my contact methods in order (details are never returned)',
      schema: arr(ref('ContactMethod')),
    },
  },
  MyNotificationsController_add: {
    '201': {
      description: "added; a webhook's signing secret is shown this once",
      schema: obj(
        {
          id: uuid(),
          channel: str('webhook'),
          priority: int(1),
          enabled: bool(true),
          secret: str('whsec_…', { description: 'webhooks only' }),
        },
        ['secret'],
      ),
    },
  },
  MyNotificationsController_reorder: {
    '200': { description: 'my contact methods in the new order', schema: arr(ref('ContactMethod')) },
  },
};

/** Properties of DTO schemas that the metadata reads as bare `object`, typed precisely. */
export const PROPERTY_TYPES: Record<string, Record<string, Schema>> = {
  CheckinPlanDto: {
    schedule: ref('CheckinSchedule'),
    graceSeconds: int(900, { description: 'seconds after a deadline before the alert (default 900)' }),
    remindersSecondsBefore: arr(int(600), {
      description: 'reminders this many seconds before each deadline, into the inbox',
    }),
    maxPauseSeconds: int(604_800, { description: 'the longest pause allowed (default 7 days)' }),
  },
  PausePlanDto: { until: time('2026-12-03T09:00:00.000Z') },
  CheckinDto: {
    id: uuid(),
    at: time(),
    kid: str('Zm9vYmFyYmF6cXV4MTIzNA', { description: 'kid of the sign key used' }),
    signature: str('…', { description: '64-byte Ed25519 signature over `panah/v1/checkin/<id>/<at>`, b64u' }),
    envelope: {
      ...ref('EnvelopeDto'),
      description: 'optional crypto-v1 envelope of kind "checkin" whose id is the check-in id',
    },
  },
  SignedSignalDto: {
    id: uuid(),
    at: time(),
    kid: str('Zm9vYmFyYmF6cXV4MTIzNA', { description: 'kid of the sign key used' }),
    signature: str('…', { description: '64-byte Ed25519 signature over `panah/v1/panic/<id>/<at>`, b64u' }),
  },
  SubmitReportDto: { envelope: ref('EnvelopeDto'), hints: ref('TriageHints') },
  CreateRuleSetDto: { ruleSet: ref('TriageRuleSet') },
  DryRunDto: { hints: nullable(ref('TriageHints')), ruleSet: ref('TriageRuleSet') },
  CreatePolicyDto: { definition: ref('PolicyDefinition') },
  UpdatePolicyDto: { definition: ref('PolicyDefinition') },
  AddContactMethodDto: {
    detail: {
      oneOf: [
        obj({ address: str('desk@example.org') }),
        obj({ url: str('https://hooks.example.org/panah') }),
        obj({ number: str('+4915112345678') }),
        obj({ roomId: str('!abc:matrix.example.org') }),
      ],
      description: 'email: {address}; webhook: {url}; signal|sms: {number}; matrix: {roomId}',
      example: { address: 'desk@example.org' },
    },
  },
  AuditEntryResponse: {
    details: {
      type: 'object',
      additionalProperties: true,
      example: { role: 'caseworker' },
      description: 'ids and settings only, never secrets or content',
    },
  },
};
