import { randomBytes } from 'node:crypto';
import { TotpSecretBox } from './secret-box';
import { matchTotp, newTotpSecret, totpCodeAt } from './totp';
import { newRecoveryCodes, recoveryCodeDigest } from './recovery-codes';

const key = () => randomBytes(32).toString('base64url');

describe('TOTP secrets at rest', () => {
  const k1 = key();
  const box = new TotpSecretBox({ current: 'k1', keys: new Map([['k1', k1]]) });

  it('round-trips and never stores the secret in the clear', () => {
    const secret = newTotpSecret();
    const sealed = box.seal('staff-a', secret);
    expect(sealed).not.toContain(secret);
    expect(box.open('staff-a', sealed)).toBe(secret);
  });

  it('refuses a secret moved to another account or tampered with', () => {
    const sealed = box.seal('staff-a', newTotpSecret());
    expect(() => box.open('staff-b', sealed)).toThrow();
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    expect(() => box.open('staff-a', [...parts.slice(0, 3), ct.toString('base64url')].join('.'))).toThrow();
  });

  it('opens values sealed under a retired key after rotation', () => {
    const sealed = box.seal('staff-a', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    const rotated = new TotpSecretBox({
      current: 'k2',
      keys: new Map([
        ['k1', k1],
        ['k2', key()],
      ]),
    });
    expect(rotated.open('staff-a', sealed)).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });
});

describe('TOTP codes', () => {
  it('match within one step of drift and report the step', async () => {
    const secret = newTotpSecret();
    const now = new Date(1_800_000_000_000);
    const step = Math.floor(now.getTime() / 30_000);
    expect(await matchTotp(secret, await totpCodeAt(secret, now), now)).toBe(step);
    expect(await matchTotp(secret, await totpCodeAt(secret, new Date(now.getTime() + 30_000)), now)).toBe(
      step + 1,
    );
    expect(await matchTotp(secret, await totpCodeAt(secret, new Date(now.getTime() - 30_000)), now)).toBe(
      step - 1,
    );
    expect(
      await matchTotp(secret, await totpCodeAt(secret, new Date(now.getTime() + 90_000)), now),
    ).toBeNull();
  });

  it('treat malformed codes and secrets as a mismatch, never a throw', async () => {
    expect(await matchTotp(newTotpSecret(), '12ab56')).toBeNull();
    expect(await matchTotp('not-base32', '123456')).toBeNull();
  });
});

describe('recovery codes', () => {
  it('are distinct, 80-bit, and match however they are typed back', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    expect(codes[0]).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    const tk = key();
    expect(recoveryCodeDigest(codes[0].toLowerCase().replace(/-/g, ' '), tk)).toBe(
      recoveryCodeDigest(codes[0], tk),
    );
  });
});
