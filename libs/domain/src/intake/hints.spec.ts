import { canonicalHintsJson, HintsReason, validateHints } from './hints';
import { nextReportStatus } from './report-status';
import { leadingZeroBits } from './pow';

describe('validateHints', () => {
  it('accepts a full set of hints and returns them in canonical order', () => {
    const result = validateHints({
      language: 'prs',
      namedOnList: true,
      country: 'DE',
      category: 'kill_list',
      imminence: 'days',
      perpetrator: 'regime_intelligence',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(canonicalHintsJson(result.hints)).toBe(
      '{"category":"kill_list","imminence":"days","country":"DE","perpetrator":"regime_intelligence","namedOnList":true,"language":"prs"}',
    );
  });

  it('treats absent, null and empty hints alike as "no hints given"', () => {
    for (const input of [undefined, null, {}])
      expect(validateHints(input)).toEqual({ ok: true, hints: null });
  });

  it('names every unknown value by its path without echoing it', () => {
    const result = validateHints({
      category: 'secret-canary',
      country: 'de',
      namedOnList: 'yes',
      language: 'xx',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(HintsReason.UnknownValue);
    expect(result.problems.map((p) => p.path)).toEqual([
      'hints.category',
      'hints.country',
      'hints.namedOnList',
      'hints.language',
    ]);
    expect(JSON.stringify(result.problems)).not.toContain('secret-canary');
  });

  it('refuses unknown fields and non-objects', () => {
    const extra = validateHints({ name: 'someone' });
    expect(extra.ok === false && extra.reason).toBe(HintsReason.UnknownField);
    expect(extra.ok === false && extra.problems[0].path).toBe('hints.name');
    for (const input of ['kill_list', 3, [], true]) {
      const r = validateHints(input);
      expect(r.ok === false && r.reason).toBe(HintsReason.NotAnObject);
    }
  });

  it('does not accept inherited or prototype keys as hints', () => {
    const r = validateHints(JSON.parse('{"__proto__": {"category": "kill_list"}}'));
    expect(r.ok).toBe(false);
  });
});

describe('report status machine', () => {
  it('moves received → triaged → in_progress → closed and ignores repeats', () => {
    expect(nextReportStatus('received', 'triaged')).toBe('triaged');
    expect(nextReportStatus('triaged', 'triaged')).toBeNull();
    expect(nextReportStatus('triaged', 'case_acknowledged')).toBe('in_progress');
    expect(nextReportStatus('in_progress', 'case_resolved')).toBe('closed');
    expect(nextReportStatus('received', 'case_resolved')).toBeNull();
    expect(nextReportStatus('closed', 'case_reopened')).toBe('in_progress');
  });
});

describe('leadingZeroBits', () => {
  it('counts zero bits across bytes', () => {
    expect(leadingZeroBits(new Uint8Array([0xff]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x00, 0x10]))).toBe(11);
    expect(leadingZeroBits(new Uint8Array([0x01]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });
});
