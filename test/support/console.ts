/**
 * Staff for the console's browser tests: unlike filler accounts, these have real keys derived from
 * a password exactly as a client would (Argon2id MODERATE, crypto-v1 §4), so the browser can sign
 * in with the password and open the staff secret. The derived secrets are returned so a test can
 * check that none of them ever leaves the browser. The row is written by test/support/staff.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { StaffRole } from '@panah/domain';
import type { RunningApp } from './apps';
import { insertStaffRow, nextTotpCode, type DerivedStaffKeys, type TestStaffAccount } from './staff';

export type PasswordStaff = TestStaffAccount & DerivedStaffKeys;

export async function staffWithPassword(
  api: RunningApp,
  db: { url: string },
  options: { role: StaffRole; teams?: string[]; login?: string; label?: string },
): Promise<PasswordStaff> {
  const login = options.login ?? `${options.role.slice(0, 5)}-${randomBytes(3).toString('hex')}`;
  const { account, derived } = await insertStaffRow(api, db, {
    ...options,
    login,
    label: options.label ?? `${options.role} ${login}`,
    password: `pw-${randomBytes(9).toString('base64url')}`,
  });
  return Object.assign(account, derived!);
}

/**
 * Signs in on whatever console page is showing the sign-in form, with the next unused TOTP code,
 * and waits (an Argon2id MODERATE derivation in the browser: slow on a busy machine) for the form
 * to go.
 */
export async function signInOn(page: Page, who: PasswordStaff): Promise<void> {
  await page.locator('input[name=login]').fill(who.login);
  await page.locator('input[name=password]').fill(who.password);
  const { code, step } = await nextTotpCode(who.totpSecret, who.lastStep);
  who.lastStep = step;
  await page.locator('input[name=code]').fill(code);
  await page.locator('form.signin button[type=submit]').click();
  await page.locator('form.signin').waitFor({ state: 'detached', timeout: 180_000 });
}
