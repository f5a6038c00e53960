import { z } from 'zod';
import type { FieldProblem } from '../errors';
import { ALERT_SEVERITIES, type AlertSeverity } from './severity';

/**
 * Escalation policies: an ordered list of steps an admin defines and the engine (and the
 * simulator) execute. Stored as JSON in immutable policy versions; a run keeps the version it
 * started with, so editing a policy never changes an escalation already under way.
 */
export type EscalationTarget =
  | { readonly type: 'staff'; readonly staffId: string }
  | { readonly type: 'team'; readonly teamId: string }
  | { readonly type: 'on_call'; readonly teamId: string }
  | { readonly type: 'supervisors'; readonly teamId: string };

export type NotifyMode = 'all' | 'round_robin';

export type NotifyCondition =
  | { readonly type: 'severity_at_least'; readonly severity: AlertSeverity }
  /** Per recipient, in their own time zone; `from` inclusive, `to` exclusive, may wrap midnight. */
  | { readonly type: 'local_time_between'; readonly from: string; readonly to: string };

export type EscalationStep =
  | { readonly type: 'notify'; readonly targets: readonly EscalationTarget[]; readonly mode: NotifyMode }
  | {
      readonly type: 'notify_if';
      readonly condition: NotifyCondition;
      readonly targets: readonly EscalationTarget[];
      readonly mode: NotifyMode;
    }
  | { readonly type: 'wait'; readonly seconds: number }
  /** Jump back to `fromStep` at most `times` more times, then carry on with the next step. */
  | { readonly type: 'repeat'; readonly fromStep: number; readonly times: number }
  /** Flags the run overdue, notifies every admin, and ends the run (`exhausted`). */
  | { readonly type: 'mark_overdue' };

export interface PolicyDefinition {
  readonly steps: readonly EscalationStep[];
  /** An acknowledged run with no progress for this long is re-activated; null: never. */
  readonly ackTimeoutSeconds: number | null;
  /** The longest a caseworker may snooze a run. */
  readonly maxSnoozeSeconds: number;
}

export const POLICY_LIMITS = {
  maxSteps: 50,
  maxTargets: 20,
  maxRepeatTimes: 10,
  maxWaitSeconds: 7 * 86_400,
  /** Steps one run can execute without acknowledgement, with every repeat taken. */
  maxExpandedSteps: 500,
} as const;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm (24 h)');
const target = z.discriminatedUnion('type', [
  z.object({ type: z.literal('staff'), staffId: id }).strict(),
  z.object({ type: z.literal('team'), teamId: id }).strict(),
  z.object({ type: z.literal('on_call'), teamId: id }).strict(),
  z.object({ type: z.literal('supervisors'), teamId: id }).strict(),
]);
const targets = z.array(target).min(1).max(POLICY_LIMITS.maxTargets);
const mode = z.enum(['all', 'round_robin']).default('all');
const condition = z.discriminatedUnion('type', [
  z.object({ type: z.literal('severity_at_least'), severity: z.enum(ALERT_SEVERITIES) }).strict(),
  z.object({ type: z.literal('local_time_between'), from: hhmm, to: hhmm }).strict(),
]);
const step = z.discriminatedUnion('type', [
  z.object({ type: z.literal('notify'), targets, mode }).strict(),
  z.object({ type: z.literal('notify_if'), condition, targets, mode }).strict(),
  z
    .object({ type: z.literal('wait'), seconds: z.number().int().min(1).max(POLICY_LIMITS.maxWaitSeconds) })
    .strict(),
  z
    .object({
      type: z.literal('repeat'),
      fromStep: z.number().int().min(0),
      // Bounded on purpose: an escalation that repeats forever is an alert flood, not a safety net.
      times: z.number().int().min(1).max(POLICY_LIMITS.maxRepeatTimes),
    })
    .strict(),
  z.object({ type: z.literal('mark_overdue') }).strict(),
]);
export const policyDefinitionSchema = z
  .object({
    steps: z.array(step).min(1).max(POLICY_LIMITS.maxSteps),
    ackTimeoutSeconds: z.number().int().min(5).max(POLICY_LIMITS.maxWaitSeconds).nullable().default(null),
    maxSnoozeSeconds: z.number().int().min(5).max(86_400).default(3_600),
  })
  .strict();

/** Ids a policy's targets may name; the caller looks them up (validation itself does no I/O). */
export interface KnownTargets {
  readonly staffIds: ReadonlySet<string>;
  readonly teamIds: ReadonlySet<string>;
  /** Teams that have an on-call schedule. */
  readonly onCallTeamIds: ReadonlySet<string>;
}

export type PolicyValidation =
  | { readonly ok: true; readonly policy: PolicyDefinition }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/** `steps[2].targets[0].staffId`-style path from a zod issue path. */
export function problemPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/**
 * Shape, then meaning: repeats must jump backwards over at least one wait (no tight loops) and
 * are bounded; nothing may follow `mark_overdue` (it ends the run, so those steps are
 * unreachable); at least one step must notify someone; every target must exist.
 */
export function validatePolicy(input: unknown, known: KnownTargets, prefix = ''): PolicyValidation {
  const parsed = policyDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    // Messages come from the schema, never the submitted values (which may be anything).
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: problemPath(prefix, i.path), message: i.message })),
    };
  }
  const policy = parsed.data as PolicyDefinition;
  const at = (i: number, field?: string): string =>
    problemPath(prefix, field ? ['steps', i, field] : ['steps', i]);
  const problems: FieldProblem[] = [];
  policy.steps.forEach((s, i) => {
    if (s.type === 'repeat') {
      if (s.fromStep >= i) problems.push({ path: at(i, 'fromStep'), message: 'must name an earlier step' });
      else if (!policy.steps.slice(s.fromStep, i).some((x) => x.type === 'wait')) {
        problems.push({ path: at(i), message: 'repeats steps without a wait: it would loop without pause' });
      }
    }
    if (s.type === 'mark_overdue' && i < policy.steps.length - 1) {
      problems.push({ path: at(i + 1), message: 'is unreachable: mark_overdue ends the escalation' });
    }
    if (
      s.type === 'notify_if' &&
      s.condition.type === 'local_time_between' &&
      s.condition.from === s.condition.to
    ) {
      problems.push({ path: at(i, 'condition'), message: 'from and to must differ' });
    }
    if (s.type === 'notify' || s.type === 'notify_if') {
      s.targets.forEach((t, j) => {
        const path = problemPath(prefix, [
          'steps',
          i,
          'targets',
          j,
          t.type === 'staff' ? 'staffId' : 'teamId',
        ]);
        switch (t.type) {
          case 'staff':
            if (!known.staffIds.has(t.staffId))
              problems.push({ path, message: 'unknown or inactive staff member' });
            break;
          case 'team':
          case 'supervisors':
            if (!known.teamIds.has(t.teamId)) problems.push({ path, message: 'unknown team' });
            break;
          case 'on_call':
            if (!known.onCallTeamIds.has(t.teamId))
              problems.push({ path, message: 'team has no on-call schedule' });
            break;
        }
      });
    }
  });
  if (!policy.steps.some((s) => s.type === 'notify' || s.type === 'notify_if' || s.type === 'mark_overdue')) {
    problems.push({ path: problemPath(prefix, ['steps']), message: 'notifies nobody' });
  }
  if (problems.length === 0 && expandedLength(policy) > POLICY_LIMITS.maxExpandedSteps) {
    problems.push({
      path: problemPath(prefix, ['steps']),
      message: `expands to more than ${POLICY_LIMITS.maxExpandedSteps} steps`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy };
}

/** How many steps a run executes if nobody ever acknowledges (every repeat taken). */
export function expandedLength(policy: PolicyDefinition): number {
  const used = new Map<number, number>();
  let count = 0;
  let i = 0;
  while (i < policy.steps.length && count <= POLICY_LIMITS.maxExpandedSteps) {
    count += 1;
    const s = policy.steps[i];
    if (s.type === 'repeat' && (used.get(i) ?? 0) < s.times) {
      used.set(i, (used.get(i) ?? 0) + 1);
      for (const k of used.keys()) if (k >= s.fromStep && k < i) used.delete(k);
      i = s.fromStep;
    } else i += 1;
  }
  return count;
}
