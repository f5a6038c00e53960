import { caseUpdateRecipients, type CaseParticipation } from './participants';

const at = (minute: number): Date => new Date(Date.UTC(2025, 0, 1, 3, minute));

function participation(p: Partial<CaseParticipation>): CaseParticipation {
  return {
    acknowledgedBy: null,
    acknowledgedAt: null,
    notified: [],
    activeStaff: new Set(['cw1', 'cw2', 'sup', 'admin']),
    ...p,
  };
}

describe('caseUpdateRecipients', () => {
  it('tells the person who acknowledged the case, not everyone alerted before', () => {
    const notified = [
      { staffId: 'cw1', firstAt: at(0), lastAt: at(0) },
      { staffId: 'cw2', firstAt: at(5), lastAt: at(5) },
    ];
    expect(
      caseUpdateRecipients(participation({ acknowledgedBy: 'cw2', acknowledgedAt: at(6), notified })),
    ).toEqual(['cw2']);
  });

  it('tells the acknowledger even if they were never alerted (they acknowledged from the case list)', () => {
    expect(
      caseUpdateRecipients(
        participation({
          acknowledgedBy: 'sup',
          acknowledgedAt: at(1),
          notified: [{ staffId: 'cw1', firstAt: at(0), lastAt: at(0) }],
        }),
      ),
    ).toEqual(['sup']);
  });

  it('also tells whoever the escalation alerted after the acknowledgement (an ack timeout re-activated it)', () => {
    const notified = [
      { staffId: 'sup', firstAt: at(20), lastAt: at(20) },
      { staffId: 'cw1', firstAt: at(0), lastAt: at(21) },
      { staffId: 'cw2', firstAt: at(5), lastAt: at(5) },
    ];
    expect(
      caseUpdateRecipients(participation({ acknowledgedBy: 'cw2', acknowledgedAt: at(10), notified })),
    ).toEqual(['cw2', 'cw1', 'sup']);
  });

  it('tells everyone already alerted, each once and in order, when nobody has acknowledged', () => {
    const notified = [
      { staffId: 'admin', firstAt: at(30), lastAt: at(30) },
      { staffId: 'cw2', firstAt: at(5), lastAt: at(25) },
      { staffId: 'cw1', firstAt: at(0), lastAt: at(20) },
    ];
    expect(caseUpdateRecipients(participation({ notified }))).toEqual(['cw1', 'cw2', 'admin']);
  });

  it('never tells staff who are no longer active, and falls back to those alerted when the acknowledger left', () => {
    const notified = [
      { staffId: 'cw1', firstAt: at(0), lastAt: at(0) },
      { staffId: 'cw2', firstAt: at(1), lastAt: at(1) },
    ];
    const active = new Set(['cw2']);
    expect(
      caseUpdateRecipients(
        participation({ acknowledgedBy: 'cw1', acknowledgedAt: at(2), notified, activeStaff: active }),
      ),
    ).toEqual(['cw2']);
    expect(caseUpdateRecipients(participation({ notified, activeStaff: new Set() }))).toEqual([]);
  });

  it('tells nobody when nobody has been alerted or has acknowledged yet', () => {
    expect(caseUpdateRecipients(participation({}))).toEqual([]);
  });
});
