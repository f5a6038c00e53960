import { attachmentOverLimit, bytesRemaining, secondsUntilNextUtcDay } from './quota';

const quota = { bytes: 1_000, reportsPerDay: 5, attachmentsPerDay: 3 };
const none = { reportAttachments: 0, bytesStored: 0, attachmentsToday: 0 };

describe('reporter quotas', () => {
  it('lets an attachment through while every limit has room', () => {
    expect(attachmentOverLimit(none, quota, 20, 1_000)).toBeNull();
    expect(attachmentOverLimit({ ...none, bytesStored: 999 }, quota, 20, null)).toBeNull();
  });

  it('names the per-report limit first, then the daily count, then the bytes', () => {
    const full = { reportAttachments: 20, bytesStored: 1_000, attachmentsToday: 3 };
    expect(attachmentOverLimit(full, quota, 20, 1)).toEqual({ limit: 'attachmentsPerReport', max: 20 });
    expect(attachmentOverLimit({ ...full, reportAttachments: 1 }, quota, 20, 1)).toEqual({
      limit: 'attachmentsPerDay',
      max: 3,
    });
    expect(attachmentOverLimit({ ...full, reportAttachments: 1, attachmentsToday: 0 }, quota, 20, 1)).toEqual(
      { limit: 'bytes', max: 1_000, remaining: 0 },
    );
  });

  it('refuses an attachment larger than the bytes left, and an unknown size once nothing is left', () => {
    expect(attachmentOverLimit({ ...none, bytesStored: 600 }, quota, 20, 401)).toEqual({
      limit: 'bytes',
      max: 1_000,
      remaining: 400,
    });
    expect(attachmentOverLimit({ ...none, bytesStored: 600 }, quota, 20, 400)).toBeNull();
    expect(attachmentOverLimit({ ...none, bytesStored: 1_000 }, quota, 20, null)?.limit).toBe('bytes');
    expect(bytesRemaining({ bytesStored: 1_500 }, quota)).toBe(0);
  });

  it('counts days in UTC', () => {
    expect(secondsUntilNextUtcDay(new Date('2026-03-01T23:59:30Z'))).toBe(30);
    expect(secondsUntilNextUtcDay(new Date('2026-03-01T00:00:00Z'))).toBe(86_400);
  });
});
