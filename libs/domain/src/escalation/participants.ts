/**
 * Who is told when something happens on a case after its escalation started (the reporter
 * checked in after the alert). Cases have no separate assignee: the person who acknowledged the
 * escalation took it on, so they are "the assignee". Anyone the escalation alerted after that
 * acknowledgement (an ack timeout re-activated the run) is working on it too. When nobody has
 * acknowledged, everyone the escalation already alerted is told: they are the ones looking for
 * the reporter. Staff who are no longer active are never told anything.
 */
export interface CaseParticipation {
  /** Who acknowledged the case's escalation most recently, and when; null if nobody has. */
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: Date | null;
  /** Each person the escalation notified, with the first and the latest time, in first-notified order. */
  readonly notified: readonly { readonly staffId: string; readonly firstAt: Date; readonly lastAt: Date }[];
  readonly activeStaff: ReadonlySet<string>;
}

/** The people to tell, each once, the acknowledger first, then in the order they were first alerted. */
export function caseUpdateRecipients(p: CaseParticipation): string[] {
  const out: string[] = [];
  const add = (id: string): void => {
    if (p.activeStaff.has(id) && !out.includes(id)) out.push(id);
  };
  const ordered = [...p.notified].sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime());
  if (p.acknowledgedBy !== null && p.activeStaff.has(p.acknowledgedBy)) {
    add(p.acknowledgedBy);
    const since = p.acknowledgedAt?.getTime() ?? Number.POSITIVE_INFINITY;
    for (const n of ordered) if (n.lastAt.getTime() > since) add(n.staffId);
    return out;
  }
  // Nobody (still active) has taken the case on: everyone who was alerted.
  for (const n of ordered) add(n.staffId);
  return out;
}
