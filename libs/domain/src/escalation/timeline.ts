import type { EscalationTarget, NotifyCondition, PolicyDefinition } from './policy';
import { onCallAt, type OnCallSchedule, withinLocalTime } from './oncall';
import { compareSeverity, type AlertSeverity } from './severity';

/**
 * The escalation timeline as a pure function. The engine calls `advance` once per due step (each
 * call runs every immediate step up to the next `wait`); the simulator calls the same function in
 * a loop with simulated time. So a dry run shows exactly what the engine will do.
 */
export interface RunCursor {
  /** Index of the next step to execute. */
  readonly step: number;
  /** Grows by one on every jump back (repeat) and every restart; (step, round) never recurs in a run. */
  readonly round: number;
  /** Jumps already taken, by repeat-step index. */
  readonly repeats: Readonly<Record<string, number>>;
}

export const START_CURSOR: RunCursor = { step: 0, round: 0, repeats: {} };

/** The people and schedules the timeline needs, loaded once per step (or given to the simulator). */
export interface DirectorySnapshot {
  /** Active members of each team (caseworkers and supervisors). */
  readonly teamMembers: Readonly<Record<string, readonly string[]>>;
  readonly teamSupervisors: Readonly<Record<string, readonly string[]>>;
  readonly admins: readonly string[];
  /** Active staff; a `staff` target that is not active is skipped (an offboarded person is never alerted). */
  readonly activeStaff: ReadonlySet<string>;
  /**
   * Who may be on call: active and not an admin (G6). Schedules and overrides written earlier can
   * still name someone who has since become an admin; the resolver skips them. Absent: activeStaff.
   */
  readonly onCallEligible?: ReadonlySet<string>;
  readonly schedules: Readonly<Record<string, OnCallSchedule>>;
  readonly timeZones: Readonly<Record<string, string>>;
  /** Each person's contact methods, in their chosen order. */
  readonly contacts: Readonly<Record<string, readonly ContactRef[]>>;
}

export interface ContactRef {
  readonly methodId: string;
  readonly channel: string;
}

export type TimelineEffect =
  | {
      readonly kind: 'notify';
      readonly step: number;
      readonly round: number;
      readonly staffId: string;
      readonly contact: ContactRef | null;
    }
  | { readonly kind: 'mark_overdue'; readonly step: number; readonly round: number };

export interface Advance {
  readonly effects: readonly TimelineEffect[];
  /** Where the run continues and when; null when the policy has run out (`exhausted`). */
  readonly next: { readonly cursor: RunCursor; readonly dueAt: Date } | null;
  /** True when the run ended with mark_overdue. */
  readonly overdue: boolean;
}

export interface AdvanceContext {
  readonly at: Date;
  readonly severity: AlertSeverity;
  readonly directory: DirectorySnapshot;
}

const MAX_STEPS_PER_ADVANCE = 1_000; // validation guarantees a wait in every loop; this is a backstop

/** Executes steps from `cursor` until the next wait (or the end) and says what to do. */
export function advance(policy: PolicyDefinition, cursor: RunCursor, ctx: AdvanceContext): Advance {
  const effects: TimelineEffect[] = [];
  let { step, round } = cursor;
  const repeats: Record<string, number> = { ...cursor.repeats };
  for (let guard = 0; guard < MAX_STEPS_PER_ADVANCE && step < policy.steps.length; guard++) {
    const s = policy.steps[step];
    switch (s.type) {
      case 'notify':
      case 'notify_if': {
        const condition = s.type === 'notify_if' ? s.condition : null;
        if (condition && !severityAllows(condition, ctx.severity)) break;
        let people = resolveTargets(s.targets, ctx);
        if (condition?.type === 'local_time_between') {
          people = people.filter((p) =>
            withinLocalTime(ctx.at, ctx.directory.timeZones[p] ?? 'UTC', condition.from, condition.to),
          );
        }
        if (s.mode === 'round_robin' && people.length > 0) people = [people[round % people.length]];
        for (const staffId of people) {
          effects.push({
            kind: 'notify',
            step,
            round,
            staffId,
            contact: ctx.directory.contacts[staffId]?.[0] ?? null,
          });
        }
        break;
      }
      case 'wait':
        return {
          effects,
          next: {
            cursor: { step: step + 1, round, repeats },
            dueAt: new Date(ctx.at.getTime() + s.seconds * 1000),
          },
          overdue: false,
        };
      case 'repeat': {
        const used = repeats[String(step)] ?? 0;
        if (used < s.times) {
          repeats[String(step)] = used + 1;
          // Inner repeats start afresh on every pass of an outer loop.
          for (const k of Object.keys(repeats))
            if (Number(k) >= s.fromStep && Number(k) < step) delete repeats[k];
          step = s.fromStep;
          round += 1;
          continue;
        }
        break;
      }
      case 'mark_overdue':
        for (const staffId of ctx.directory.admins) {
          effects.push({
            kind: 'notify',
            step,
            round,
            staffId,
            contact: ctx.directory.contacts[staffId]?.[0] ?? null,
          });
        }
        effects.push({ kind: 'mark_overdue', step, round });
        return { effects, next: null, overdue: true };
    }
    step += 1;
  }
  return { effects, next: null, overdue: false };
}

/** Where a run starts again after an ack timeout or a severity raise: step 0 of a fresh round. */
export function restartCursor(cursor: RunCursor): RunCursor {
  return { step: 0, round: cursor.round + 1, repeats: {} };
}

function severityAllows(condition: NotifyCondition, severity: AlertSeverity): boolean {
  return condition.type !== 'severity_at_least' || compareSeverity(severity, condition.severity) >= 0;
}

/** Targets to staff ids, in order, each person once. */
export function resolveTargets(targets: readonly EscalationTarget[], ctx: AdvanceContext): string[] {
  const out: string[] = [];
  const add = (ids: readonly string[]): void => {
    for (const id of ids) if (ctx.directory.activeStaff.has(id) && !out.includes(id)) out.push(id);
  };
  for (const t of targets) {
    switch (t.type) {
      case 'staff':
        add([t.staffId]);
        break;
      case 'team':
        add(ctx.directory.teamMembers[t.teamId] ?? []);
        break;
      case 'supervisors':
        add(ctx.directory.teamSupervisors[t.teamId] ?? []);
        break;
      case 'on_call': {
        const schedule = ctx.directory.schedules[t.teamId];
        const eligible = ctx.directory.onCallEligible ?? ctx.directory.activeStaff;
        const person = schedule ? onCallAt(schedule, ctx.at, (id) => eligible.has(id)) : null;
        if (person) add([person]);
        break;
      }
    }
  }
  return out;
}
