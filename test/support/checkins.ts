import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { safetySignedBytes, type SafetySignalKind } from '@panah/checkins';
import {
  cryptoReady,
  fromB64u,
  generateStaffKeys,
  kid,
  signChallenge,
  toB64u,
  type BoxKeyPair,
  type SignKeyPair,
} from '@panah/crypto';
import { rowsOf } from './database';
import { solvePow } from './intake';

/**
 * Builders for check-in tests: a reporter registered with a duress key, signed in with either
 * key, and signed check-in / panic bodies as a client would send them.
 */
export interface KeySet {
  readonly sign: SignKeyPair;
  readonly box: BoxKeyPair;
}

export interface DuressReporter {
  readonly reporterId: string;
  readonly primary: KeySet;
  readonly duress: KeySet;
}

export interface SignInResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly auth: { authorization: string };
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

function keySet(): KeySet {
  const k = generateStaffKeys();
  return { sign: k.signKeyPair, box: k.boxKeyPair };
}

/** Registers a reporter with a duress key (random keys: Argon2 is not what these tests are about). */
export async function registerWithDuress(
  url: string,
  options: { showReports?: boolean } = {},
): Promise<DuressReporter> {
  await cryptoReady();
  const primary = keySet();
  const duress = keySet();
  const pow = await post(`${url}/v1/reporters/pow-challenges`, {});
  const nonce = solvePow(pow.json.challenge as string, pow.json.difficulty as number);
  const reg = await post(`${url}/v1/reporters`, {
    signPk: toB64u(primary.sign.publicKey),
    boxPk: toB64u(primary.box.publicKey),
    duress: {
      signPk: toB64u(duress.sign.publicKey),
      boxPk: toB64u(duress.box.publicKey),
      ...(options.showReports === undefined ? {} : { showReports: options.showReports }),
    },
    pow: { challenge: pow.json.challenge, nonce },
  });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.json)}`);
  return { reporterId: reg.json.reporterId as string, primary, duress };
}

/** Signs in with one of the reporter's keys exactly as a client does (challenge, then session). */
export async function signInWith(url: string, keys: KeySet): Promise<SignInResponse> {
  const keyId = kid(keys.sign.publicKey);
  const ch = await post(`${url}/v1/reporters/challenges`, { reporterId: keyId });
  const signature = toB64u(signChallenge(fromB64u(ch.json.challenge as string), keys.sign.privateKey));
  const session = await post(`${url}/v1/reporters/sessions`, {
    reporterId: keyId,
    challenge: ch.json.challenge,
    signature,
  });
  return {
    status: session.status,
    body: session.json,
    auth: { authorization: `Bearer ${String(session.json.token)}` },
  };
}

/** A signed check-in or panic body: Ed25519 over `panah/v1/<kind>/<id>/<at>` with the given key. */
export function signedSignal(
  kind: SafetySignalKind,
  keys: KeySet,
  id: string = randomUUID(),
  at: string = new Date().toISOString(),
): Record<string, string> {
  const pk = keys.sign.publicKey;
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: toB64u(keys.sign.privateKey.subarray(0, 32)), x: toB64u(pk) };
  const signature = sign(
    null,
    safetySignedBytes(kind, id, at),
    createPrivateKey({ key: jwk, format: 'jwk' }),
  );
  return { id, at, kid: kid(pk), signature: signature.toString('base64url') };
}

export async function api(
  url: string,
  method: string,
  path: string,
  auth: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...auth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * A check-in plan whose deadline has already passed, for tests that need a missed check-in now:
 * a minute's interval, its alert time set in the past, so the check-in sweeper raises the alert
 * at once and the next deadline (after a late check-in) is a minute away. A one-second plan does
 * the same on a quiet machine, but on a busy one it is missed again before the test is done,
 * which rightly alerts a second time.
 */
export async function missedPlan(
  url: string,
  auth: Record<string, string>,
  dbUrl: string,
  reporterId: string,
): Promise<void> {
  const plan = await api(url, 'PUT', '/v1/checkins/plan', auth, {
    schedule: { kind: 'interval', everySeconds: 60 },
    graceSeconds: 1,
  });
  if (plan.status !== 201) throw new Error(`PUT /v1/checkins/plan answered ${plan.status}`);
  await rowsOf(
    dbUrl,
    `UPDATE checkin_plans SET alert_at = now() - interval '5 seconds' WHERE reporter_id = $1`,
    [reporterId],
  );
}
