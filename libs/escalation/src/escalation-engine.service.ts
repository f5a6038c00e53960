import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { CaseRepository, type EscalatedCaseRow } from '@panah/cases';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  advance,
  type AlertSeverity,
  type CaseSignalKind,
  decideSignalOnRun,
  compareSeverity,
  type DirectorySnapshot,
  dueAction,
  isAlertSeverity,
  restartCursor,
  type RunCursor,
  shortRefFromId,
  START_CURSOR,
} from '@panah/domain';
import {
  eachAloneIfBatchFails,
  enqueueInTransaction,
  escalationStepJobId,
  JobName,
  outboxRowValues,
} from '@panah/queue';
import { ackToken, ackTokenDigest } from './ack-links';
import { CaseUpdateNotifier } from './case-update-notifier.service';
import { loadDirectory } from './directory.repository';
import { EscalationMetrics } from './escalation.metrics';
import { NotificationRepository, type NotificationToInsert } from './notification.repository';
import { currentPolicyRef, loadPolicyVersion } from './policy.repository';
import { type RunAdvanceWrite, type RunEventWrite, RunRepository, type RunRow } from './run.repository';

/** What one advance of a run will write (see EscalationEngine.planAdvance), and whom it alerts. */
interface PlannedAdvance extends RunAdvanceWrite {
  readonly events: RunEventWrite[];
  readonly notifications: NotificationToInsert[];
}

interface NewRun {
  run: RunRow;
  advance: PlannedAdvance;
}

export type StepOutcome = 'executed' | 'stale' | 'missing' | 'early';
export type StartOutcome = 'started' | 'exists' | 'closed';

/** Schedules the run's pending wake-up through the outbox (relayed as a delayed BullMQ job). */
export async function scheduleWakeUp(
  m: EntityManager,
  run: { id: string; fence: number; step: number; round: number },
  at: Date,
): Promise<void> {
  const payload = { runId: run.id, fence: run.fence, step: run.step, round: run.round };
  await enqueueInTransaction(m, JobName.EscalationStep, payload, {
    jobId: escalationStepJobId(payload),
    notBefore: at,
  });
}

/**
 * Executes escalation steps. Every entry point locks the run row, checks the fencing token and
 * the state, does one step's worth of work (`advance` up to the next wait), and schedules the
 * next wake-up in the same transaction, so a crash anywhere leaves either the old or the new
 * state, never half of one. The step jobs are only wake-ups: the truth is the row.
 */
@Injectable()
export class EscalationEngine {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly metrics: EscalationMetrics,
    private readonly cases: CaseRepository,
    private readonly caseUpdates: CaseUpdateNotifier,
    private readonly runs: RunRepository,
    private readonly notifications: NotificationRepository,
  ) {}

  /** case.opened: start the case's escalation (once; a repeated event finds the run and stops). */
  async startForCase(caseId: string, now = new Date()): Promise<StartOutcome> {
    const result = (await this.startForCases([caseId], now)).get(caseId);
    if (result instanceof Error) throw result;
    return result ?? 'closed';
  }

  /**
   * Starts the escalations of several new cases in one transaction (the processor batches the
   * case.opened events that arrive while one runs): the cases are locked together, cases sharing
   * a policy and team share one read of the directory, and the runs are written together. If
   * the batch fails as a whole, each case is tried on its own.
   */
  async startForCases(
    caseIds: readonly string[],
    now = new Date(),
  ): Promise<Map<string, StartOutcome | Error>> {
    return eachAloneIfBatchFails(caseIds, (ids) =>
      this.dataSource.transaction(async (m) => {
        const results = new Map<string, StartOutcome | Error>(
          ids.map((id) => [id, new UnrecoverableError('case not found')]),
        );
        // The event is written in the transaction that writes the case, so a missing case is a bug.
        const cases = await this.cases.lockByIds(m, ids);
        const directories = new Map<string, Promise<DirectorySnapshot>>();
        const starts: NewRun[] = [];
        for (const c of cases) {
          if (c.state === 'resolved') results.set(c.id, 'closed');
          else starts.push(await this.planStart(m, c, now, directories));
        }
        // A case whose run exists already (a repeated event) is left as it is: the insert skips it.
        const inserted = await this.insertRuns(m, starts);
        for (const { run } of starts) results.set(run.case_id, inserted.has(run.id) ? 'started' : 'exists');
        return results;
      }),
    );
  }

  /**
   * case.updated: resolve with the case, or restart with the new severity's policy when raised.
   * A signal (panic, duress, missed check-in, report) on an acknowledged or snoozed run tells the
   * assignee at once, and a critical one takes the acknowledgement back (decideSignalOnRun): the
   * run is active again and restarts from its first step unless acknowledged within the ack timeout.
   * A case a critical signal reopened restarts its resolved run from the first step.
   */
  async caseUpdated(
    caseId: string,
    now = new Date(),
    event: { version: number; signal: CaseSignalKind | null } = { version: 0, signal: null },
  ): Promise<
    'started' | 'restarted' | 'reopened' | 'resolved' | 'unacknowledged' | 'notified' | 'unchanged'
  > {
    return this.dataSource.transaction(async (m) => {
      const c = await this.lockCase(m, caseId);
      const run = await this.runs.lockForCase(m, caseId);
      if (!run) {
        if (c.state === 'resolved') return 'unchanged';
        // Under the case lock no run can have appeared since the SELECT above; if one did, retry.
        if ((await this.insertRuns(m, [await this.planStart(m, c, now)])).size === 0)
          throw new Error('a run appeared for the case while it was locked');
        await this.markSignalHandled(m, caseId, event);
        return 'started';
      }
      await this.markSignalHandled(m, caseId, event);
      if (run.state === 'resolved') {
        if (c.state === 'resolved') return 'unchanged';
        // Reopened by a critical signal: the assignee hears at once, the policy starts over.
        const assigneeId = (await this.cases.access(m, caseId))?.assignee_id ?? null;
        if (assigneeId !== null)
          await this.caseUpdates.notifyAssignee(
            m,
            { caseId, event: 'signal', eventId: `${event.signal}:${event.version}` },
            assigneeId,
          );
        await this.runs.clearForReopen(m, run.id);
        const ref = await currentPolicyRef(m, c.policy_id);
        const reopened: RunRow = {
          ...run,
          policy_id: ref.policyId,
          policy_version: ref.version,
          severity: this.severityOf(c),
          team_id: c.team_id,
          state: 'active',
          fence: run.fence + 1,
        };
        await this.runs.recordEvent(m, run.id, 'reopened', { details: { signal: event.signal } });
        await this.advanceRun(m, reopened, restartCursor(this.cursorOf(run)), now, 'reopen');
        return 'reopened';
      }
      if (c.state === 'resolved') {
        await this.runs.resolveWithCase(m, run.id, now);
        await this.runs.recordEvent(m, run.id, 'resolved', { details: { by: 'case' } });
        return 'resolved';
      }
      const decision = decideSignalOnRun(run.state, event.signal);
      if (decision.notifyAssignee) {
        // Recorded once per (case, version): a redelivered event tells nobody twice.
        const assigneeId = (await this.cases.access(m, caseId))?.assignee_id ?? null;
        await this.caseUpdates.notifyAssignee(
          m,
          { caseId, event: 'signal', eventId: `${event.signal}:${event.version}` },
          assigneeId,
        );
      }
      if (decision.unacknowledge) {
        await this.runs.clearAcknowledgement(m, run.id);
        await this.cases.unacknowledge(m, caseId);
      }
      const severity = this.severityOf(c);
      if (compareSeverity(severity, run.severity) <= 0) {
        if (!decision.unacknowledge) return decision.notifyAssignee ? 'notified' : 'unchanged';
        // Unacknowledged: the first step runs again when the ack timeout passes without a new ack.
        const policy = await loadPolicyVersion(
          m,
          { policyId: run.policy_id, version: run.policy_version },
          run.team_id,
        );
        const cursor = restartCursor(this.cursorOf(run));
        const fence = run.fence + 1;
        const at = new Date(now.getTime() + (policy.ackTimeoutSeconds ?? 0) * 1000);
        await this.runs.reposition(m, run.id, { state: 'active', ...cursor, fence, nextStepAt: at });
        await this.runs.recordEvent(m, run.id, 'unacknowledged', {
          step: cursor.step,
          round: cursor.round,
          details: { signal: event.signal, from: run.state },
        });
        await scheduleWakeUp(m, { id: run.id, fence, step: cursor.step, round: cursor.round }, at);
        return 'unacknowledged';
      }
      // Raised: the new severity's policy starts over, whatever state the run was in.
      const ref = await currentPolicyRef(m, c.policy_id);
      const restarted: RunRow = {
        ...run,
        policy_id: ref.policyId,
        policy_version: ref.version,
        severity,
        team_id: c.team_id,
        state: 'active',
        fence: run.fence + 1,
      };
      await this.runs.recordEvent(m, run.id, 'restarted', { details: { from: run.severity, to: severity } });
      await this.advanceRun(m, restarted, restartCursor(this.cursorOf(run)), now, 'restart');
      return 'restarted';
    });
  }

  /** A step wake-up (from its delayed job or the sweeper). */
  async executeDue(
    p: { runId: string; fence: number; step: number; round: number },
    now = new Date(),
  ): Promise<StepOutcome> {
    return this.dataSource.transaction(async (m) => {
      const run = await this.runs.lockById(m, p.runId);
      if (!run) return 'missing';
      if (run.fence !== p.fence || run.step !== p.step || run.round !== p.round || !run.next_step_at)
        return 'stale';
      const action = dueAction(run.state);
      if (action === 'nothing') return 'stale';
      if (run.next_step_at.getTime() > now.getTime() + 1_000) {
        // Woken early (a clock ahead of the database's): keep the due time.
        await scheduleWakeUp(m, run, run.next_step_at);
        return 'early';
      }
      this.metrics.stepLateness.observe(
        { action },
        Math.max(0, now.getTime() - run.next_step_at.getTime()) / 1000,
      );
      let cursor = this.cursorOf(run);
      if (action === 'reactivate') {
        cursor = restartCursor(cursor);
        await this.runs.recordEvent(m, run.id, 'reactivated', { step: cursor.step, round: cursor.round });
      } else if (action === 'resume') {
        await this.runs.recordEvent(m, run.id, 'resumed', { step: cursor.step, round: cursor.round });
      }
      await this.advanceRun(m, { ...run, state: 'active' }, cursor, now, action, run.next_step_at);
      return 'executed';
    });
  }

  /**
   * The run has seen the case's signal at this version: the sweeper's comparison with the case's
   * signal_version (CaseEventSweepRepository) stops re-announcing it.
   */
  private async markSignalHandled(
    m: EntityManager,
    caseId: string,
    event: { version: number; signal: CaseSignalKind | null },
  ): Promise<void> {
    if (event.signal !== null) await this.runs.markSignalHandled(m, caseId, event.version);
  }

  private async lockCase(m: EntityManager, caseId: string): Promise<EscalatedCaseRow> {
    const c = await this.cases.lockById(m, caseId);
    // The event is written in the transaction that writes the case, so a missing case is a bug.
    if (!c) throw new UnrecoverableError('case not found');
    return c;
  }

  private severityOf(c: EscalatedCaseRow): AlertSeverity {
    // Unknown severities escalate as critical: a typo must never make a case quieter.
    return isAlertSeverity(c.severity) ? c.severity : 'critical';
  }

  private cursorOf(run: RunRow): RunCursor {
    return { step: run.step, round: run.round, repeats: run.repeats ?? {} };
  }

  /**
   * A new run for the case and its first advance, planned but not written: the first step runs
   * at once, in the starting transaction (no hop through Redis before tier 1 is alerted).
   */
  private async planStart(
    m: EntityManager,
    c: EscalatedCaseRow,
    now: Date,
    directories?: Map<string, Promise<DirectorySnapshot>>,
  ): Promise<NewRun> {
    const ref = await currentPolicyRef(m, c.policy_id);
    const run: RunRow = {
      id: randomUUID(),
      case_id: c.id,
      policy_id: ref.policyId,
      policy_version: ref.version,
      severity: this.severityOf(c),
      team_id: c.team_id,
      short_ref: shortRefFromId(c.id),
      state: 'active',
      step: 0,
      round: 0,
      repeats: {},
      fence: 0,
      next_step_at: now,
      overdue_at: null,
    };
    return { run, advance: await this.planAdvance(m, run, START_CURSOR, now, 'start', now, directories) };
  }

  /**
   * Writes new runs where their first advance left them, with their history ('started', then
   * what the advance recorded) and their next wake-ups, in one round trip, then their
   * notifications in one more, however many runs there are. A case that has a run already keeps
   * it and gets nothing written (the caller holds the case locks, so no run can appear meanwhile
   * unseen). Returns the ids of the runs written.
   */
  private async insertRuns(m: EntityManager, starts: readonly NewRun[]): Promise<Set<string>> {
    if (starts.length === 0) return new Set();
    const inserted = await this.runs.insertStarted(m, starts);
    await this.notifications.insert(
      m,
      starts.flatMap((s) => (inserted.has(s.run.id) ? s.advance.notifications : [])),
    );
    return inserted;
  }

  /** Runs `advance` from `cursor` on a run that exists, records its effects and schedules the next wake-up. */
  private async advanceRun(
    m: EntityManager,
    run: RunRow,
    cursor: RunCursor,
    now: Date,
    action: string,
    dueAt: Date = now,
  ): Promise<void> {
    const a = await this.planAdvance(m, run, cursor, now, action, dueAt);
    await this.notifications.insert(m, a.notifications);
    // The run's new position, its history and the next wake-up in one round trip.
    await this.runs.writeAdvance(m, run, a);
  }

  /**
   * What one `advance` from `cursor` writes, decided without writing anything: the run's new
   * position, its history (an 'overdue' entry per deadline passed, the 'step', then 'exhausted'
   * if the policy ran out), its notifications and its next wake-up.
   */
  private async planAdvance(
    m: EntityManager,
    run: RunRow,
    cursor: RunCursor,
    now: Date,
    action: string,
    dueAt: Date,
    /** Directories already read in this transaction at `now`, by policy version and team. */
    directories?: Map<string, Promise<DirectorySnapshot>>,
  ): Promise<PlannedAdvance> {
    const policy = await loadPolicyVersion(
      m,
      { policyId: run.policy_id, version: run.policy_version },
      run.team_id,
    );
    const key = `${run.policy_id}/${run.policy_version}/${run.team_id ?? ''}`;
    let directory = directories?.get(key);
    if (!directory) {
      directory = loadDirectory(m, policy, now);
      directories?.set(key, directory);
    }
    const result = advance(policy, cursor, { at: now, severity: run.severity, directory: await directory });
    const events: RunEventWrite[] = [];
    const notifications: NotificationToInsert[] = [];
    for (const e of result.effects) {
      if (e.kind === 'mark_overdue') {
        events.push({ kind: 'overdue', step: e.step, round: e.round, details: {} });
        continue;
      }
      notifications.push({
        about: { kind: 'escalation', caseId: run.case_id, runId: run.id, step: e.step, round: e.round },
        recipientId: e.staffId,
        contact: e.contact,
        fallbackOf: null,
        linkDigest: ackTokenDigest(this.config.tokenKey, ackToken(this.config.tokenKey, run.id, e.staffId)),
      });
    }
    events.push({
      kind: 'step',
      step: cursor.step,
      round: cursor.round,
      details: {
        action,
        notified: notifications.length,
        latenessMs: Math.max(0, now.getTime() - dueAt.getTime()),
      },
    });
    const next = result.next;
    if (!next) events.push({ kind: 'exhausted', step: cursor.step, round: cursor.round, details: {} });
    const wakeUp = next
      ? { runId: run.id, fence: run.fence, step: next.cursor.step, round: next.cursor.round }
      : null;
    const [jobName, payload, jobId, notBefore] = wakeUp
      ? outboxRowValues(JobName.EscalationStep, wakeUp, {
          jobId: escalationStepJobId(wakeUp),
          notBefore: next?.dueAt,
        })
      : [null, null, null, null];
    return {
      position: next
        ? {
            state: 'active',
            step: next.cursor.step,
            round: next.cursor.round,
            repeats: next.cursor.repeats,
            next_step_at: next.dueAt,
          }
        : {
            state: 'exhausted',
            step: cursor.step,
            round: cursor.round,
            repeats: cursor.repeats,
            next_step_at: null,
          },
      overdueAt: events.some((e) => e.kind === 'overdue') ? now : null,
      events,
      notifications,
      wakeUp: { job_name: jobName, payload, job_id: jobId, not_before: notBefore },
    };
  }
}
