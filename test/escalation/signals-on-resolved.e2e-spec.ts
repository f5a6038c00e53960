import { JobName, QueueName, caseUpdatedJobId } from '@panah/queue';
import { call, eventsOf, runOf } from '../support/escalation';
import { SignalStack, type SignalKind } from '../support/signals';
import { waitFor } from '../support/wait';

/**
 * Issue 15 point 6, the rest of it, against the real API, worker, PostgreSQL, Redis and SMTP: a
 * critical signal reopens a resolved case (the same case, its version bumped, case.updated in the
 * signal's transaction, the escalation from its first step again); a signal on a snoozed case
 * reaches the assignee at once; and a signal's case.updated whose job Redis lost is recovered by
 * the sweeper even when it changes nothing else the sweeper sees (G4).
 */
describe('signals on resolved and snoozed cases', () => {
  let s: SignalStack;

  beforeAll(async () => {
    s = await SignalStack.start();
  });
  afterAll(async () => {
    await s?.close();
  });

  async function resolvedCase(): Promise<Awaited<ReturnType<SignalStack['acknowledgedCase']>>> {
    const c = await s.acknowledgedCase('panic');
    expect((await call(s.api, s.caseworker, 'POST', `/escalations/${c.runId}/resolve`)).status).toBe(200);
    expect((await s.caseRow(c.caseId)).state).toBe('resolved');
    await s.untilRun(c.caseId, 'resolved');
    return c;
  }

  const reasonOf: Record<Exclude<SignalKind, 'report'>, string> = {
    panic: 'panic',
    duress: 'duress',
    missed_checkin: 'missed_checkin',
    critical_report: 'report',
  };

  it.each(['panic', 'duress', 'missed_checkin', 'critical_report'] as const)(
    'a %s reopens the resolved case and its escalation starts again from the first step',
    async (kind) => {
      const { r, caseId, runId } = await resolvedCase();
      const before = await s.caseRow(caseId);
      const alertsBefore = (await s.escalationAlerts(runId)).length;
      const updatesBefore = (await s.caseUpdates(caseId)).length;
      await s.signal(kind, r);
      await waitFor(async () => (await s.caseRow(caseId)).state === 'open', {
        what: 'the case reopened',
        timeoutMs: 60_000,
      });
      const after = await s.caseRow(caseId);
      expect(after.version).toBeGreaterThan(before.version);
      expect(after.severity).toBe('critical');
      expect(after.reasons).toContain(reasonOf[kind]);
      // The same case, no second one.
      expect(await s.q(`SELECT id FROM cases WHERE reporter_id = $1`, [r.reporterId])).toEqual([
        { id: caseId },
      ]);
      // Announced in the reopening transaction, naming the signal.
      const announced = await s.q<{ payload: { version: number; signal?: string } }>(
        `SELECT payload FROM outbox WHERE job_name = $1 AND job_id = $2`,
        [JobName.CaseUpdated, caseUpdatedJobId(caseId, after.version)],
      );
      expect(announced.map((a) => a.payload.signal)).toEqual([kind === 'critical_report' ? 'report' : kind]);
      // The escalation runs again: the first step alerts the caseworker, a new round.
      const alerts = await waitFor(
        async () => {
          const a = await s.escalationAlerts(runId);
          return a.length > alertsBefore ? a : null;
        },
        { what: 'the first step again', timeoutMs: 60_000 },
      );
      expect(alerts[alerts.length - 1].round).toBeGreaterThan(alerts[0].round);
      expect((await runOf(s.db, caseId))?.state).toBe('active');
      expect(await eventsOf(s.db, runId)).toContain('reopened');
      // And the assignee, who knows the case, hears at once.
      const updates = (await s.caseUpdates(caseId)).slice(updatesBefore);
      expect(updates.map((u) => u.recipient_id)).toContain(s.caseworker.staffId);
    },
  );

  it('a report that is not critical opens a new case beside the resolved one', async () => {
    const { r, caseId } = await resolvedCase();
    await s.signal('report', r);
    const other = await waitFor(
      async () =>
        (
          await s.q<{ id: string }>(`SELECT id FROM cases WHERE reporter_id = $1 AND id <> $2`, [
            r.reporterId,
            caseId,
          ])
        )[0]?.id,
      { what: 'a new case', timeoutMs: 60_000 },
    );
    // Medium by the rules, raised one level as a repeat within the window: still not critical.
    expect((await s.caseRow(other)).severity).not.toBe('critical');
    expect((await s.caseRow(caseId)).state).toBe('resolved');
  });

  /** Alerted and snoozed by the caseworker (only an active escalation can be snoozed). */
  async function snoozedCase(): Promise<Awaited<ReturnType<SignalStack['alertedCase']>>> {
    const c = await s.alertedCase('panic');
    const res = await call(s.api, s.caseworker, 'POST', `/escalations/${c.runId}/snooze`, { seconds: 600 });
    expect(res.status).toBe(200);
    expect((await runOf(s.db, c.caseId))?.state).toBe('snoozed');
    return c;
  }

  it.each(['panic', 'duress', 'missed_checkin'] as const)(
    'a %s on a snoozed case reaches the assignee at once and puts the escalation back to unacknowledged',
    async (kind) => {
      const { r, caseId, runId } = await snoozedCase();
      const updatesBefore = (await s.caseUpdates(caseId)).length;
      const mailsBefore = s.smtp.messages.length;
      await s.signal(kind, r);
      await s.untilCaseUpdate(caseId, updatesBefore);
      await s.untilCaseUpdateEmail(mailsBefore);
      await s.untilRun(caseId, 'active', 'the run unacknowledged');
      expect(await eventsOf(s.db, runId)).toContain('unacknowledged');
      expect((await s.caseRow(caseId)).state).toBe('open');
    },
  );

  it('a report on a snoozed case reaches the assignee at once and the snooze holds', async () => {
    const { r, caseId } = await snoozedCase();
    const updatesBefore = (await s.caseUpdates(caseId)).length;
    await s.signal('report', r);
    await s.untilCaseUpdate(caseId, updatesBefore);
    expect((await runOf(s.db, caseId))?.state).toBe('snoozed');
  });

  it('a lost case.updated of a panic on a critical acknowledged case is recovered by the sweeper', async () => {
    const { r, caseId } = await s.acknowledgedCase('panic');
    const before = await s.caseRow(caseId);
    expect(before.severity).toBe('critical');
    const updatesBefore = (await s.caseUpdates(caseId)).length;
    const queue = s.queue(QueueName.CaseEvents);
    let lostJobId = '';
    let lostVersion = 0;
    try {
      // Relayed jobs wait in Redis; the signal's job is then lost there (as in a flush).
      await queue.pause();
      await s.signal('panic', r);
      const version = await waitFor(
        async () => {
          const c = await s.caseRow(caseId);
          return c.version > before.version ? c.version : null;
        },
        { what: 'the panic on the case', timeoutMs: 60_000 },
      );
      const jobId = caseUpdatedJobId(caseId, version);
      lostJobId = jobId;
      lostVersion = version;
      await waitFor(
        async () =>
          (await s.q(`SELECT 1 FROM outbox WHERE job_id = $1 AND relayed_at IS NOT NULL`, [jobId])).length ===
          1,
        { what: 'the case.updated relayed', timeoutMs: 60_000 },
      );
      await waitFor(async () => (await queue.getJob(jobId)) !== undefined, { what: 'the job in Redis' });
      expect(await queue.remove(jobId)).toBe(1);
      expect(await queue.getJob(jobId)).toBeUndefined();
    } finally {
      await queue.resume();
      await queue.close();
    }
    // Nothing else is behind: the case was critical already and its run not resolved.
    await s.untilCaseUpdate(caseId, updatesBefore, 'the case update after a sweep');
    // It was the sweeper's re-announcement of the signal (job id `<lost id>-s<window>`) that did it.
    const events = s.queue(QueueName.CaseEvents);
    try {
      const redone = (await events.getJobs(['completed', 'active', 'waiting', 'failed'])).filter((j) =>
        j.id?.startsWith(`${lostJobId}-s`),
      );
      expect(redone.map((j) => j.data as unknown)).toContainEqual({
        caseId,
        version: lostVersion,
        signal: 'panic',
      });
    } finally {
      await events.close();
    }
    await s.untilRun(caseId, 'active', 'the run unacknowledged');
  });
});
