/**
 * Staff for the console's browser tests: unlike test/support/staff.ts (random filler keys), these
 * accounts have real keys derived from a password exactly as a client would (Argon2id MODERATE,
 * crypto-v1 §4), so the browser can sign in with the password and open the staff secret. The
 * derived secrets are returned so a test can check that none of them ever leaves the browser.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  cryptoReady,
  deriveStaffKeys,
  generateStaffKdfSalt,
  generateStaffKeys,
  hashAuthKey,
  protectStaffSecret,
  signSeedOf,
  toB64u,
  type BoxKeyPair,
  type SignKeyPair,
} from '@panah/crypto';
import type { StaffRole } from '@panah/domain';
import { newTotpSecret, TotpSecretBox } from '@panah/identity';
import type { RunningApp } from './apps';
import { sql } from './database';
import { ensureTeam, type TestStaffAccount } from './staff';

export interface PasswordStaff extends TestStaffAccount {
  readonly password: string;
  readonly box: BoxKeyPair;
  readonly sign: SignKeyPair;
  /** base64url secrets that must never appear in anything the browser sends. */
  readonly secrets: {
    readonly encKey: string;
    readonly boxSk: string;
    readonly signSeed: string;
    readonly signSk: string;
  };
}

export async function staffWithPassword(
  api: RunningApp,
  db: { url: string },
  options: { role: StaffRole; teams?: string[]; login?: string; label?: string },
): Promise<PasswordStaff> {
  await cryptoReady();
  const config = api.app.get<PanahConfig>(PANAH_CONFIG);
  const staffId = randomUUID();
  const login = options.login ?? `${options.role.slice(0, 5)}-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const kdfSalt = generateStaffKdfSalt();
  const { authKey, encKey } = deriveStaffKeys(password, kdfSalt);
  const keys = generateStaffKeys();
  const signSeed = signSeedOf(keys.signKeyPair.privateKey);
  const protectedSecret = protectStaffSecret(keys.boxKeyPair.privateKey, signSeed, staffId, encKey);
  const totpSecret = newTotpSecret();
  const teamIds: string[] = [];
  for (const team of options.teams ?? []) teamIds.push(await ensureTeam(db, team));
  const client = await sql(db.url);
  try {
    await client.query(
      `INSERT INTO staff (id, login, label, role, status, kdf_salt, auth_key_hash, box_pk, sign_pk, protected_secret, totp_secret)
       VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $10)`,
      [
        staffId,
        login,
        options.label ?? `${options.role} ${login}`,
        options.role,
        toB64u(kdfSalt),
        hashAuthKey(authKey),
        toB64u(keys.boxKeyPair.publicKey),
        toB64u(keys.signKeyPair.publicKey),
        protectedSecret,
        new TotpSecretBox(config.dataKeys).seal(staffId, totpSecret),
      ],
    );
    for (const teamId of teamIds)
      await client.query('INSERT INTO staff_teams (staff_id, team_id) VALUES ($1, $2)', [staffId, teamId]);
  } finally {
    await client.close();
  }
  return {
    staffId,
    login,
    role: options.role,
    teamIds,
    authKey: toB64u(authKey),
    totpSecret,
    lastStep: null,
    password,
    box: keys.boxKeyPair,
    sign: keys.signKeyPair,
    secrets: {
      encKey: toB64u(encKey),
      boxSk: toB64u(keys.boxKeyPair.privateKey),
      signSeed: toB64u(signSeed),
      signSk: toB64u(keys.signKeyPair.privateKey),
    },
  };
}
