/**
 * The signed-in staff member, in memory only (crypto-v1 §4, DESIGN "Leaves little trace"): the
 * session token and the opened staff keys live in this module and nowhere else, so a reload or
 * 30 minutes without activity asks for the password again. Drafts (a reply or note being typed)
 * live here too, outside the screens, so they survive a re-sign-in.
 */
import { cryptoReady, fromB64u, openStaffSecret, toB64u, type StaffKeyPairs } from '@panah/crypto';
import { ApiError, call, setApiHooks } from './api/http';
import type { Me } from './api/types';
import { deriveInWorker } from './kdf/kdf';
import { isPowChallenge, solvePowInWorker } from './kdf/pow';
import { createStore } from './store';

export const IDLE_MS = 30 * 60 * 1000;

export interface Session {
  readonly token: string;
  readonly me: Me;
  readonly keys: StaffKeyPairs;
}

export type SignedOutReason = 'none' | 'idle' | 'expired' | 'signed_out';

export const session = createStore<Session | null>(null);
export const signedOutReason = createStore<SignedOutReason>('none');
/** Time spent in Argon2id at the last sign-in (shown to the bench, never sent anywhere). */
export const lastKdfMs = createStore<number>(0);
/** The login name of the session that ended, so signing in again is the password and code only. */
export let lastLogin = '';

const drafts = new Map<string, string>();
export const draftOf = (key: string): string => drafts.get(key) ?? '';
export const setDraft = (key: string, text: string): void => {
  if (text) drafts.set(key, text);
  else drafts.delete(key);
};

let idleTimer: ReturnType<typeof setTimeout> | undefined;

function touch(): void {
  if (!session.get()) return;
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => endSession('idle'), IDLE_MS);
}

function wipeKeys(s: Session): void {
  s.keys.boxKeyPair.privateKey.fill(0);
  s.keys.signKeyPair.privateKey.fill(0);
}

/** Forgets the token and keys (drafts stay: a re-sign-in continues where the person was). */
export function endSession(reason: SignedOutReason): void {
  const current = session.get();
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  if (!current) return;
  wipeKeys(current);
  lastLogin = reason === 'signed_out' ? '' : current.me.login;
  signedOutReason.set(reason);
  session.set(null);
}

export async function signOut(): Promise<void> {
  try {
    await call('POST', '/v1/staff/logout');
  } catch {
    // the session ends here whatever the server says
  }
  drafts.clear();
  endSession('signed_out');
}

setApiHooks({
  token: () => session.get()?.token ?? null,
  onUnauthorized: () => endSession('expired'),
  onActivity: touch,
});
for (const type of ['pointerdown', 'keydown'] as const) addEventListener(type, touch, { passive: true });

export interface SignInInput {
  readonly login: string;
  readonly password: string;
  readonly totpCode?: string;
  readonly recoveryCode?: string;
}

/**
 * Sends the sign-in; when the server asks for a proof of work (many recent attempts for this login
 * name, perhaps someone else's: never a lockout), solves it in a worker and sends it again.
 */
async function signInWithWork(
  body: Record<string, unknown>,
  onProgress: (f: number) => void,
): Promise<{ token: string; staffId: string }> {
  let pow: { challenge: string; nonce: string } | undefined;
  for (let round = 0; ; round++) {
    try {
      return await call<{ token: string; staffId: string }>('POST', '/v1/staff/login', {
        body: pow ? { ...body, pow } : body,
        token: null,
      });
    } catch (error) {
      const asked =
        error instanceof ApiError && error.reason === 'login/pow_required' ? error.body.pow : null;
      if (round >= 3 || !isPowChallenge(asked)) throw error;
      onProgress(0);
      pow = { challenge: asked.challenge, nonce: await solvePowInWorker(asked, onProgress) };
    }
  }
}

/**
 * Exactly what `panah staff login` does: prelogin for the salt, Argon2id in a worker, send only
 * authKey with the second factor; then open the staff secret here with encKey.
 */
export async function signIn(input: SignInInput, onProgress: (f: number) => void): Promise<Session> {
  const pre = await call<{ kdfSalt: string }>('POST', '/v1/staff/prelogin', {
    body: { login: input.login },
    token: null,
  });
  await cryptoReady();
  const derived = await deriveInWorker(input.password, fromB64u(pre.kdfSalt, 'kdfSalt'), onProgress);
  lastKdfMs.set(derived.ms);
  const { authKey, encKey } = derived;
  try {
    const second = input.recoveryCode ? { recoveryCode: input.recoveryCode } : { totpCode: input.totpCode };
    const body = { login: input.login, authKey: toB64u(authKey), ...second };
    authKey.fill(0);
    const login = await signInWithWork(body, onProgress);
    const me = await call<Me>('GET', '/v1/staff/me', { token: login.token });
    const keys = openStaffSecret(me.protectedSecret, me.staffId, encKey);
    if (toB64u(keys.boxKeyPair.publicKey) !== me.boxPk || toB64u(keys.signKeyPair.publicKey) !== me.signPk) {
      throw new Error('keys_mismatch');
    }
    const s: Session = { token: login.token, me, keys };
    signedOutReason.set('none');
    session.set(s);
    touch();
    return s;
  } finally {
    authKey.fill(0);
    encKey.fill(0);
  }
}
