import { decideSignalOnRun, RUN_STATES, signalOfReason } from './run-state';

describe('decideSignalOnRun (issue 15 point 6)', () => {
  it.each(['panic', 'duress', 'missed_checkin'] as const)(
    '%s on an acknowledged or snoozed run notifies the assignee and takes the acknowledgement back',
    (signal) => {
      expect(decideSignalOnRun('acknowledged', signal)).toEqual({
        notifyAssignee: true,
        unacknowledge: true,
      });
      expect(decideSignalOnRun('snoozed', signal)).toEqual({ notifyAssignee: true, unacknowledge: true });
    },
  );

  it('a new report on an acknowledged or snoozed run notifies the assignee and keeps the acknowledgement', () => {
    expect(decideSignalOnRun('acknowledged', 'report')).toEqual({
      notifyAssignee: true,
      unacknowledge: false,
    });
    expect(decideSignalOnRun('snoozed', 'report')).toEqual({ notifyAssignee: true, unacknowledge: false });
  });

  it('active, exhausted and resolved runs, and updates that are not signals, change nothing', () => {
    for (const state of ['active', 'exhausted', 'resolved'] as const)
      expect(decideSignalOnRun(state, 'panic')).toEqual({ notifyAssignee: false, unacknowledge: false });
    for (const state of RUN_STATES)
      expect(decideSignalOnRun(state, null)).toEqual({ notifyAssignee: false, unacknowledge: false });
  });

  it('maps case reasons to signals (triage failures and repeats are reports)', () => {
    expect(
      ['panic', 'duress', 'missed_checkin', 'report', 'repeat_report', 'triage_failed'].map(signalOfReason),
    ).toEqual(['panic', 'duress', 'missed_checkin', 'report', 'report', 'report']);
  });
});
