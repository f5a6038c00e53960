import { call, metricSample, runOf } from '../support/escalation';
import { SignalStack } from '../support/signals';
import { waitFor } from '../support/wait';

const METRIC = 'panah_cases_oldest_unacknowledged_seconds';
const DAY = 86_400;

/**
 * `panah_cases_oldest_unacknowledged_seconds` counts from when a case last became open and
 * unacknowledged, not from its first opening: a case first opened a day ago and reopened (or
 * un-acknowledged) by a critical signal just now is seconds old on the operators' page.
 */
describe('oldest unacknowledged case: counted from the last time it became unacknowledged', () => {
  let s: SignalStack;

  beforeAll(async () => {
    s = await SignalStack.start();
  });
  afterAll(async () => {
    await s?.close();
  });

  /** The case was first opened a day ago. */
  async function openedADayAgo(caseId: string): Promise<void> {
    await s.q(`UPDATE cases SET opened_at = now() - make_interval(secs => $2) WHERE id = $1`, [caseId, DAY]);
  }

  async function criticalAge(): Promise<number | undefined> {
    return metricSample(s.api, METRIC, { severity: 'critical' });
  }

  it('a signal that takes the acknowledgement back counts from then', async () => {
    const { r, caseId } = await s.acknowledgedCase('panic');
    expect((await s.caseRow(caseId)).severity).toBe('critical');
    await openedADayAgo(caseId);
    expect(await criticalAge()).toBe(0); // acknowledged: nobody is waiting
    await s.signal('panic', r);
    await waitFor(async () => (await s.caseRow(caseId)).state === 'open', {
      what: 'the case unacknowledged',
      timeoutMs: 60_000,
    });
    const age = await criticalAge();
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(DAY / 2);
    // Resolved again, so the next case is the only unacknowledged one.
    const run = await runOf(s.db, caseId);
    expect((await call(s.api, s.caseworker, 'POST', `/escalations/${run!.id}/resolve`)).status).toBe(200);
    expect(await criticalAge()).toBe(0);
  });

  it('a reopened case counts from the reopening, not from its first opening', async () => {
    const { r, caseId, runId } = await s.acknowledgedCase('panic');
    expect((await call(s.api, s.caseworker, 'POST', `/escalations/${runId}/resolve`)).status).toBe(200);
    expect((await s.caseRow(caseId)).state).toBe('resolved');
    await waitFor(async () => (await runOf(s.db, caseId))?.state === 'resolved', {
      what: 'the run resolved',
      timeoutMs: 60_000,
    });
    await openedADayAgo(caseId);
    expect(await criticalAge()).toBe(0);
    await s.signal('panic', r);
    await waitFor(async () => (await s.caseRow(caseId)).state === 'open', {
      what: 'the case reopened',
      timeoutMs: 60_000,
    });
    // The same case, first opened a day ago.
    const [row] = await s.q<{ first: number }>(
      `SELECT EXTRACT(EPOCH FROM now() - opened_at)::float AS first FROM cases WHERE id = $1`,
      [caseId],
    );
    expect(row.first).toBeGreaterThanOrEqual(DAY);
    const age = await criticalAge();
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(DAY / 2);
  });
});
