/**
 * The messages between the page and the crypto worker. The worker holds every secret key (the
 * page never sees one) and does every cryptographic step through libs/crypto; Argon2id and the
 * proof of work run there too, reporting progress.
 */
import type { Envelope, SignedDirectory } from '@panah/crypto';

export interface DirectoryInfo {
  readonly fingerprint: string;
  readonly serial: number;
  readonly expiresAt: string;
  readonly intakeCount: number;
  readonly staffCount: number;
}

export interface DerivedIdentity {
  readonly reporterId: string;
  readonly signPk: string;
  readonly boxPk: string;
}

export interface AttachmentRef {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly mime: string;
  readonly size: number;
  readonly hash: string;
}

export interface OpenedMessage {
  readonly id: string;
  readonly text: string | null;
  /** 'organisation': signed by a key in the directory's staff list; 'me': my own message; 'unverified': anything else. */
  readonly author: 'organisation' | 'me' | 'unverified';
  readonly label: string | null;
}

export type Request =
  | { op: 'init'; deploymentId: string; rootPk: string }
  | { op: 'newCodes' }
  | { op: 'normalise'; code: string }
  | { op: 'derive'; code: string; slot: 'primary' | 'duress' }
  | { op: 'solvePow'; challenge: string; difficulty: number }
  | { op: 'signChallenge'; challenge: string }
  | { op: 'verifyDirectory'; doc: SignedDirectory }
  | { op: 'seal'; kind: 'report' | 'message'; id: string; plaintext: string }
  | { op: 'encryptAttachment'; id: string; name: string; mime: string; bytes: ArrayBuffer }
  | { op: 'openMessages'; items: readonly { id: string; envelope: Envelope; from: string }[] }
  | { op: 'signSignal'; kind: 'checkin' | 'panic'; id: string; at: string }
  | { op: 'forget' };

export type Response =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string; field?: string }
  | { id: number; progress: number; phase: string };
