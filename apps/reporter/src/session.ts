/**
 * What the client knows while the tab is open: all in memory (nothing in localStorage, cookies or
 * sessionStorage), dropped by sign-out and quick exit. Secret keys are not here: the crypto worker
 * holds them.
 */
import { api, ApiError, setSession } from './api';
import { crypto } from './crypto/client';
import type { DirectoryInfo } from './crypto/protocol';

export interface Draft {
  readonly reportId: string;
  what: string;
  who: string;
  where: string;
  when: string;
  needs: string;
  category: string;
  imminence: string;
  namedOnList: '' | 'yes' | 'no';
  country: string;
  files: { id: string; file: File }[];
}

export const NEUTRAL_SITE = 'https://www.wikipedia.org/';

export const state: {
  deploymentId: string | null;
  directory: DirectoryInfo | null;
  directoryError: string | null;
  signedIn: boolean;
  draft: Draft | null;
  /** Panic and check-in signals not yet accepted by the server: retried until sent. */
  outbox: { kind: 'checkin' | 'panic'; id: string; at: string }[];
  /** What the reporter wrote this session: their messages are sealed to the organisation, not to themselves. */
  sentTexts: Map<string, string>;
} = {
  deploymentId: null,
  directory: null,
  directoryError: null,
  signedIn: false,
  draft: null,
  outbox: [],
  sentTexts: new Map(),
};

export function uuid(): string {
  return globalThis.crypto.randomUUID();
}

/** Fetches /v1/meta once and the signed directory (verified in the worker against the pinned root key). */
export async function loadDeployment(): Promise<void> {
  if (state.deploymentId === null) {
    const meta = await api.meta();
    state.deploymentId = meta.deploymentId;
    await crypto.init(meta.deploymentId, __PANAH_ROOT_PUBLIC_KEY__);
  }
  await refreshDirectory();
}

export async function refreshDirectory(): Promise<void> {
  try {
    state.directory = await crypto.verifyDirectory(await api.directory());
    state.directoryError = null;
  } catch (error) {
    state.directory = null;
    state.directoryError =
      error instanceof ApiError
        ? error.status === 404
          ? 'directory/none'
          : error.reason
        : ((error as { field?: string }).field ?? 'directory/bad');
  }
}

/** Challenge–response sign-in with the keys the worker derived last (spec §3). */
export async function signInWithDerivedKeys(reporterId: string): Promise<void> {
  const { challenge } = await api.challenge(reporterId);
  const signature = await crypto.signChallenge(challenge);
  const { token } = await api.signIn(reporterId, challenge, signature);
  setSession(token);
  state.signedIn = true;
}

/** Drops everything: the server session (its answer carries Clear-Site-Data), the worker and its keys, the draft. */
export async function signOut(): Promise<void> {
  try {
    await api.signOut();
  } catch {
    /* offline or already expired: the local state goes anyway */
  }
  forgetLocally();
}

export function forgetLocally(): void {
  setSession(null);
  state.signedIn = false;
  state.draft = null;
  state.outbox = [];
  state.sentTexts.clear();
  // The worker (and its keys) is gone: the next screen re-initialises a fresh one.
  state.deploymentId = null;
  state.directory = null;
  void crypto.forget();
  try {
    sessionStorage.clear();
    localStorage.clear();
  } catch {
    /* storage disabled */
  }
}
