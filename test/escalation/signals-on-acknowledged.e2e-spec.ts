import { eventsOf, runOf } from '../support/escalation';
import { SignalStack } from '../support/signals';
import { waitFor } from '../support/wait';

/**
 * Issue 15 point 6, against the real API, worker, PostgreSQL, Redis and SMTP: a panic or a duress
 * sign-in on a case its assignee acknowledged tells the assignee at once and puts the escalation
 * back to unacknowledged; without a new acknowledgement within the ack timeout the policy starts
 * over from its first step.
 */
describe('signals on an acknowledged case reach a person', () => {
  let s: SignalStack;

  beforeAll(async () => {
    s = await SignalStack.start();
  });
  afterAll(async () => {
    await s?.close();
  });

  it.each(['panic', 'duress'] as const)(
    'a %s on an acknowledged case emails the assignee at once and takes the acknowledgement back',
    async (kind) => {
      const { r, caseId, runId } = await s.acknowledgedCase(kind);
      const updatesBefore = (await s.caseUpdates(caseId)).length;
      const mailsBefore = s.smtp.messages.length;
      await s.signal(kind, r);
      await waitFor(async () => (await s.caseUpdates(caseId)).length > updatesBefore, {
        what: 'the case update',
        timeoutMs: 60_000,
      });
      const update = (await s.caseUpdates(caseId)).slice(updatesBefore);
      expect(update.map((u) => u.recipient_id)).toEqual([s.caseworker.staffId]);
      const mail = await s.untilCaseUpdateEmail(mailsBefore);
      expect(mail.text).not.toMatch(/duress|panic/i);
      await s.untilRun(caseId, 'active', 'the run unacknowledged');
      expect(await eventsOf(s.db, runId)).toContain('unacknowledged');
      expect((await s.caseRow(caseId)).state).toBe('open');
      const ack = await s.q<{ acknowledged_by: string | null }>(
        `SELECT acknowledged_by FROM escalation_runs WHERE id = $1`,
        [runId],
      );
      expect(ack[0].acknowledged_by).toBeNull();
    },
  );

  it('without a new acknowledgement within the ack timeout the escalation starts over from its first step', async () => {
    const { r, caseId, runId } = await s.acknowledgedCase('panic');
    await s.signal('panic', r);
    await s.untilRun(caseId, 'active', 'the run unacknowledged');
    // The first step alerts again (a new round) once the ack timeout has passed.
    const alerts = await waitFor(
      async () => {
        const a = await s.escalationAlerts(runId);
        return a.length >= 2 ? a : null;
      },
      { what: 'the first step again', timeoutMs: 120_000 },
    );
    expect(alerts[1].round).toBeGreaterThan(alerts[0].round);
    // Resumed by the unacknowledgement's wake-up, not by the first acknowledgement's timeout (fenced off).
    const events = await eventsOf(s.db, runId);
    expect(events).toContain('unacknowledged');
    expect(events).not.toContain('reactivated');
  });

  it('a missed check-in on an acknowledged case emails the assignee at once and takes the acknowledgement back', async () => {
    const { r, caseId, runId } = await s.acknowledgedCase('duress');
    const updatesBefore = (await s.caseUpdates(caseId)).length;
    await s.signal('missed_checkin', r);
    expect((await s.caseRow(caseId)).reasons).toContain('missed_checkin');
    await s.untilCaseUpdate(caseId, updatesBefore);
    await s.untilRun(caseId, 'active', 'the run unacknowledged');
    expect(await eventsOf(s.db, runId)).toContain('unacknowledged');
  });

  it('a new report on an acknowledged case emails the assignee at once and keeps the acknowledgement', async () => {
    const { r, caseId, runId } = await s.acknowledgedCase('duress');
    const updatesBefore = (await s.caseUpdates(caseId)).length;
    await s.signal('report', r);
    await s.untilCaseUpdate(caseId, updatesBefore);
    // The report joined the case (no second case).
    const linked = await s.q<{ case_id: string }>(
      `SELECT DISTINCT case_id FROM reports WHERE reporter_id = $1`,
      [r.reporterId],
    );
    expect(linked).toEqual([{ case_id: caseId }]);
    expect((await runOf(s.db, caseId))?.state).toBe('acknowledged');
    expect(await eventsOf(s.db, runId)).not.toContain('unacknowledged');
  });
});
