import fc from 'fast-check';
import { hex, unhex, vectors } from '../test-vectors';
import { CryptoFormatError } from './errors';
import {
  deriveReporterKeys,
  formatAccessCode,
  generateAccessCode,
  generateChallenge,
  generateDuressCode,
  normaliseAccessCode,
  reporterSalt,
  signChallenge,
  verifyChallenge,
} from './reporter';
import { cryptoReady } from './sodium';

const v = vectors.reporter;

beforeAll(() => cryptoReady());

describe('access codes (spec §3)', () => {
  it.each(v.normalise)('normalises $input', ({ input, normalised, formatted }) => {
    expect(normaliseAccessCode(input)).toBe(normalised);
    expect(formatAccessCode(input)).toBe(formatted);
  });

  it.each(v.invalid)('rejects %j without echoing it', (input) => {
    expect(() => normaliseAccessCode(input)).toThrow(CryptoFormatError);
    try {
      normaliseAccessCode(input);
    } catch (error) {
      expect((error as Error).message).not.toContain(input.length > 0 ? input : '\u0000');
      expect((error as CryptoFormatError).field).toBe('accessCode');
    }
  });

  it('generates 20 ASCII digits that normalise to themselves and format as 5 groups of 4', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateAccessCode();
      expect(code).toMatch(/^\d{20}$/);
      expect(normaliseAccessCode(code)).toBe(code);
      expect(formatAccessCode(code)).toMatch(/^\d{4}( \d{4}){4}$/);
    }
  });

  it('uses every digit in every position (no obviously biased generator)', () => {
    const seen = Array.from({ length: 20 }, () => new Set<string>());
    for (let i = 0; i < 400; i++) [...generateAccessCode()].forEach((d, pos) => seen[pos].add(d));
    for (const digits of seen) expect(digits.size).toBe(10);
  });

  it('makes a duress code that differs from the primary code', () => {
    const primary = generateAccessCode();
    expect(generateDuressCode(formatAccessCode(primary))).not.toBe(primary);
  });

  it('accepts any mix of ASCII, Persian and Arabic-Indic digits with spaces and hyphens', () => {
    const persian = '۰۱۲۳۴۵۶۷۸۹';
    const arabic = '٠١٢٣٤٥٦٧٨٩';
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 9 }),
            fc.integer({ min: 0, max: 2 }),
            fc.constantFrom('', ' ', '-', ' - '),
          ),
          { minLength: 20, maxLength: 20 },
        ),
        (digits) => {
          const ascii = digits.map(([d]) => String(d)).join('');
          const mixed = digits
            .map(([d, script, sep]) => [String(d), persian[d], arabic[d]][script] + sep)
            .join('');
          expect(normaliseAccessCode(mixed)).toBe(ascii);
        },
      ),
    );
  });
});

describe('reporter keys (spec §3)', () => {
  it('derives the salt from the deployment id', () => {
    expect(hex(reporterSalt(v.deploymentId))).toBe(v.saltHex);
  });

  it.each(v.derivations)('derives the vector keys for code $code', (d) => {
    const keys = deriveReporterKeys(d.code, v.deploymentId);
    expect(hex(keys.boxKeyPair.publicKey)).toBe(d.boxPkHex);
    expect(hex(keys.boxKeyPair.privateKey)).toBe(d.boxSkHex);
    expect(hex(keys.signKeyPair.publicKey)).toBe(d.signPkHex);
    expect(hex(keys.signKeyPair.privateKey)).toBe(d.signSkHex);
    expect(keys.reporterId).toBe(d.reporterId);
  });

  it('derives the same keys from a Persian-digit spelling of the code', () => {
    const keys = deriveReporterKeys('۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۶ ۷۸۹۰', v.deploymentId);
    expect(keys.reporterId).toBe(v.derivations[0].reporterId);
  });

  it('derives different keys in another deployment', () => {
    expect(deriveReporterKeys(v.derivations[0].code, 'other-deployment').reporterId).not.toBe(
      v.derivations[0].reporterId,
    );
  });
});

describe('sign-in challenge (spec §3)', () => {
  const [c] = v.challenges;
  const signSk = unhex(c.signSkHex);
  const signPk = signSk.slice(32);

  it('signs the prefixed challenge exactly like the vector', () => {
    expect(hex(signChallenge(unhex(c.challengeHex), signSk))).toBe(c.sigHex);
  });

  it('accepts the vector signature', () => {
    expect(verifyChallenge(unhex(c.challengeHex), unhex(c.sigHex), signPk)).toBe(true);
  });

  it('rejects a signature over another challenge, a flipped bit, another key or bad lengths', () => {
    const challenge = generateChallenge();
    const sig = signChallenge(challenge, signSk);
    expect(verifyChallenge(challenge, sig, signPk)).toBe(true);
    expect(verifyChallenge(generateChallenge(), sig, signPk)).toBe(false);
    for (let i = 0; i < sig.length; i += 7) {
      const bad = sig.slice();
      bad[i] ^= 1;
      expect(verifyChallenge(challenge, bad, signPk)).toBe(false);
    }
    const other = deriveReporterKeys(v.derivations[1].code, v.deploymentId).signKeyPair.publicKey;
    expect(verifyChallenge(challenge, sig, other)).toBe(false);
    expect(verifyChallenge(challenge.subarray(1), sig, signPk)).toBe(false);
    expect(verifyChallenge(challenge, sig.subarray(1), signPk)).toBe(false);
  });
});
