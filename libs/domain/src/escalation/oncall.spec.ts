import { onCallAt, withinLocalTime, type OnCallSchedule } from './oncall';

const berlin: OnCallSchedule = {
  timeZone: 'Europe/Berlin',
  handoffTime: '09:00',
  rotationStart: '2025-03-03',
  members: ['a', 'b', 'c'],
  overrides: [],
};
const at = (iso: string) => new Date(iso);

describe('onCallAt', () => {
  it('never puts an admin (or anyone ineligible) on call: their week goes to the next eligible member (G6)', () => {
    const notAdmin = (id: string) => id !== 'b';
    expect(onCallAt(berlin, at('2025-03-10T08:00:00Z'), notAdmin)).toBe('c'); // b's week
    expect(onCallAt(berlin, at('2025-03-17T08:00:00Z'), notAdmin)).toBe('c');
    expect(onCallAt(berlin, at('2025-03-24T08:00:00Z'), notAdmin)).toBe('a');
    expect(onCallAt({ ...berlin, members: ['b'] }, at('2025-03-10T08:00:00Z'), notAdmin)).toBeNull();
  });

  it('passes over an override naming an admin for the next override or the rotation', () => {
    const o = (staffId: string, created: string) => ({
      staffId,
      startsAt: at('2025-03-10T00:00:00Z'),
      endsAt: at('2025-03-11T00:00:00Z'),
      createdAt: at(created),
    });
    const s = { ...berlin, overrides: [o('a', '2025-03-01T00:00:00Z'), o('b', '2025-03-02T00:00:00Z')] };
    const notAdmin = (id: string) => id !== 'b';
    expect(onCallAt(s, at('2025-03-10T12:00:00Z'))).toBe('b');
    expect(onCallAt(s, at('2025-03-10T12:00:00Z'), notAdmin)).toBe('a');
    const onlyAdmin = { ...berlin, overrides: [o('b', '2025-03-02T00:00:00Z')] };
    expect(onCallAt(onlyAdmin, at('2025-03-10T12:00:00Z'), notAdmin)).toBe('c'); // b's own week too
  });

  it('hands off weekly at the local handoff time', () => {
    expect(onCallAt(berlin, at('2025-03-03T07:59:59Z'))).toBeNull(); // before the rotation starts (09:00 CET = 08:00Z)
    expect(onCallAt(berlin, at('2025-03-03T08:00:00Z'))).toBe('a');
    expect(onCallAt(berlin, at('2025-03-10T07:59:59Z'))).toBe('a');
    expect(onCallAt(berlin, at('2025-03-10T08:00:00Z'))).toBe('b');
    expect(onCallAt(berlin, at('2025-03-17T08:00:00Z'))).toBe('c');
    expect(onCallAt(berlin, at('2025-03-24T08:00:00Z'))).toBe('a');
  });

  it('keeps the handoff at 09:00 local across the spring-forward change (Berlin, 30 March 2025)', () => {
    // Week of 24 March: handoff 09:00 CET = 08:00Z; week of 31 March: 09:00 CEST = 07:00Z.
    expect(onCallAt(berlin, at('2025-03-31T06:59:59Z'))).toBe('a');
    expect(onCallAt(berlin, at('2025-03-31T07:00:00Z'))).toBe('b');
  });

  it('keeps the handoff at 09:00 local across the fall-back change (Berlin, 26 October 2025)', () => {
    const s = { ...berlin, rotationStart: '2025-10-20' };
    expect(onCallAt(s, at('2025-10-27T07:59:59Z'))).toBe('a'); // 08:59:59 CET
    expect(onCallAt(s, at('2025-10-27T08:00:00Z'))).toBe('b');
  });

  it('moves a handoff inside the spring-forward gap to the first valid instant (New York, 02:30)', () => {
    const ny: OnCallSchedule = {
      timeZone: 'America/New_York',
      handoffTime: '02:30',
      rotationStart: '2025-03-02',
      members: ['a', 'b'],
      overrides: [],
    };
    // 9 March 2025: 02:00-03:00 local does not exist; 02:30 becomes 03:30 EDT = 07:30Z.
    expect(onCallAt(ny, at('2025-03-09T07:29:59Z'))).toBe('a');
    expect(onCallAt(ny, at('2025-03-09T07:30:00Z'))).toBe('b');
    // and the week after it is 02:30 EDT again (06:30Z)
    expect(onCallAt(ny, at('2025-03-16T06:29:59Z'))).toBe('b');
    expect(onCallAt(ny, at('2025-03-16T06:30:00Z'))).toBe('a');
  });

  it('lets the most recently created override win over the rotation and older overrides', () => {
    const s: OnCallSchedule = {
      ...berlin,
      overrides: [
        {
          staffId: 'x',
          startsAt: at('2025-03-04T00:00:00Z'),
          endsAt: at('2025-03-05T00:00:00Z'),
          createdAt: at('2025-03-01T00:00:00Z'),
        },
        {
          staffId: 'y',
          startsAt: at('2025-03-04T12:00:00Z'),
          endsAt: at('2025-03-04T13:00:00Z'),
          createdAt: at('2025-03-02T00:00:00Z'),
        },
      ],
    };
    expect(onCallAt(s, at('2025-03-04T11:00:00Z'))).toBe('x');
    expect(onCallAt(s, at('2025-03-04T12:30:00Z'))).toBe('y');
    expect(onCallAt(s, at('2025-03-05T00:00:00Z'))).toBe('a'); // end is exclusive
  });

  it('returns null with an empty rotation', () => {
    expect(onCallAt({ ...berlin, members: [] }, at('2025-04-01T00:00:00Z'))).toBeNull();
  });
});

describe('withinLocalTime', () => {
  it('evaluates in the given zone and wraps midnight', () => {
    expect(withinLocalTime(at('2025-07-01T20:30:00Z'), 'Europe/Berlin', '22:00', '06:00')).toBe(true); // 22:30 CEST
    expect(withinLocalTime(at('2025-07-01T04:00:00Z'), 'Europe/Berlin', '22:00', '06:00')).toBe(false); // 06:00 local, end exclusive
    expect(withinLocalTime(at('2025-07-01T10:00:00Z'), 'Asia/Kabul', '09:00', '17:00')).toBe(true); // 14:30 local
  });
});
