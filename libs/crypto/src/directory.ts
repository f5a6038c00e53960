import { CryptoFormatError, DirectoryError } from './errors';
import { concatBytes, fromB64u, fromB64uExact, fromUtf8, kid, toB64u, utf8 } from './encoding';
import { SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES, SIGNATURE_BYTES } from './keys';
import { sodium } from './sodium';

const SIGNED_PREFIX = 'panah/v1/directory\n';
export const DIRECTORY_ROLES = ['caseworker', 'recovery'] as const;
export type DirectoryRole = (typeof DIRECTORY_ROLES)[number];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export interface DirectoryIntakeEntry {
  readonly kid: string;
  /** b64u X25519 public key. */
  readonly pk: string;
  readonly role: DirectoryRole;
  readonly label: string;
}

/** Someone the organisation lets speak to reporters (spec §9): a staff message is theirs if signed by `signPk`. */
export interface DirectoryStaffEntry {
  /** kid(signPk). */
  readonly kid: string;
  /** b64u Ed25519 public key. */
  readonly signPk: string;
  readonly label: string;
}

/** `P` of spec §5 (with §9's optional `staff` list), parsed. */
export interface DirectoryPayload {
  readonly v: 1;
  readonly serial: number;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly deploymentId: string;
  readonly root: string;
  readonly intake: readonly DirectoryIntakeEntry[];
  /** Absent in a directory that lists no staff (then no staff message verifies as the organisation's). */
  readonly staff?: readonly DirectoryStaffEntry[];
}

/** The document served to clients. */
export interface SignedDirectory {
  readonly v: 1;
  readonly payload: string;
  readonly sig: string;
}

export interface DirectoryPayloadInput {
  readonly serial: number;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly deploymentId: string;
  readonly rootPublicKey: Uint8Array;
  readonly intake: readonly {
    readonly publicKey: Uint8Array;
    readonly role: DirectoryRole;
    readonly label: string;
  }[];
  /** Staff sign keys (spec §9); omitted from `P` when not given, so older payloads keep their bytes. */
  readonly staff?: readonly {
    readonly signPk: Uint8Array;
    readonly label: string;
  }[];
}

/** Builds the exact bytes `P` (UTF-8 JSON, keys in spec order) that signDirectory signs. */
export function buildDirectoryPayload(input: DirectoryPayloadInput): Uint8Array {
  if (!Number.isSafeInteger(input.serial) || input.serial < 0)
    throw new CryptoFormatError('serial', 'must be a non-negative integer');
  if (input.deploymentId.length === 0) throw new CryptoFormatError('deploymentId', 'must not be empty');
  if (!(input.expiresAt.getTime() > input.issuedAt.getTime()))
    throw new CryptoFormatError('expiresAt', 'must be after issuedAt');
  if (input.rootPublicKey.length !== SIGN_PUBLIC_KEY_BYTES)
    throw new CryptoFormatError('rootPublicKey', 'must be 32 bytes');
  if (input.intake.length === 0) throw new CryptoFormatError('intake', 'must not be empty');
  const kids = new Set<string>();
  const intake = input.intake.map((e, i): DirectoryIntakeEntry => {
    if (e.publicKey.length !== 32)
      throw new CryptoFormatError(`intake[${i}].pk`, 'must be a 32-byte X25519 public key');
    if (!(DIRECTORY_ROLES as readonly string[]).includes(e.role))
      throw new CryptoFormatError(`intake[${i}].role`, 'must be caseworker or recovery');
    const k = kid(e.publicKey);
    if (kids.has(k)) throw new CryptoFormatError(`intake[${i}].pk`, 'is a duplicate');
    kids.add(k);
    return { kid: k, pk: toB64u(e.publicKey), role: e.role, label: e.label };
  });
  const staffKids = new Set<string>();
  const staff = input.staff?.map((e, i): DirectoryStaffEntry => {
    if (e.signPk.length !== SIGN_PUBLIC_KEY_BYTES)
      throw new CryptoFormatError(`staff[${i}].signPk`, 'must be a 32-byte Ed25519 public key');
    if (typeof e.label !== 'string') throw new CryptoFormatError(`staff[${i}].label`, 'must be text');
    const k = kid(e.signPk);
    if (staffKids.has(k)) throw new CryptoFormatError(`staff[${i}].signPk`, 'is a duplicate');
    staffKids.add(k);
    return { kid: k, signPk: toB64u(e.signPk), label: e.label };
  });
  const payload: DirectoryPayload = {
    v: 1,
    serial: input.serial,
    issuedAt: input.issuedAt.toISOString(),
    expiresAt: input.expiresAt.toISOString(),
    deploymentId: input.deploymentId,
    root: kid(input.rootPublicKey),
    intake,
    ...(staff ? { staff } : {}),
  };
  return utf8(JSON.stringify(payload));
}

function signedBytes(payload: Uint8Array): Uint8Array {
  return concatBytes(utf8(SIGNED_PREFIX), payload);
}

/** `{v:1, payload: b64u(P), sig: b64u(sign_detached(utf8("panah/v1/directory\n") || P, rootSk))}`. */
export function signDirectory(payload: Uint8Array, rootSecretKey: Uint8Array): SignedDirectory {
  if (rootSecretKey.length !== SIGN_SECRET_KEY_BYTES)
    throw new CryptoFormatError('rootSecretKey', 'must be 64 bytes');
  const sig = sodium().crypto_sign_detached(signedBytes(payload), rootSecretKey);
  return { v: 1, payload: toB64u(payload), sig: toB64u(sig) };
}

export interface VerifyDirectoryOptions {
  readonly now: Date;
  readonly deploymentId: string;
  /** Highest serial this client has already accepted; a lower one is a rollback. */
  readonly minSerial?: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Client side of spec §5. Verifies the root signature over the exact payload bytes BEFORE parsing
 * them, then checks the root kid, structure, expiry, serial (rollback), deployment and that the
 * intake list is non-empty with kid = kid(pk) for every key. Throws DirectoryError(reason).
 */
export function verifyDirectory(
  doc: unknown,
  rootPublicKey: Uint8Array,
  options: VerifyDirectoryOptions,
): DirectoryPayload {
  if (!isObject(doc) || doc.v !== 1) throw new DirectoryError('bad_format');
  let payloadBytes: Uint8Array;
  let sig: Uint8Array;
  try {
    payloadBytes = fromB64u(doc.payload, 'payload');
    sig = fromB64uExact(doc.sig, SIGNATURE_BYTES, 'sig');
  } catch {
    throw new DirectoryError('bad_format');
  }
  if (rootPublicKey.length !== SIGN_PUBLIC_KEY_BYTES)
    throw new DirectoryError('wrong_root', 'root key must be 32 bytes');
  let valid = false;
  try {
    valid = sodium().crypto_sign_verify_detached(sig, signedBytes(payloadBytes), rootPublicKey);
  } catch {
    valid = false;
  }
  if (!valid) throw new DirectoryError('bad_signature');

  const p = parsePayload(payloadBytes);
  if (p.root !== kid(rootPublicKey)) throw new DirectoryError('wrong_root');
  if (p.deploymentId !== options.deploymentId) throw new DirectoryError('wrong_deployment');
  const now = options.now.getTime();
  if (Date.parse(p.expiresAt) <= now) throw new DirectoryError('expired');
  if (Date.parse(p.issuedAt) >= Date.parse(p.expiresAt)) throw new DirectoryError('bad_payload', 'issuedAt');
  if (options.minSerial !== undefined && p.serial < options.minSerial)
    throw new DirectoryError('serial_rollback');
  if (p.intake.length === 0) throw new DirectoryError('empty_intake');
  return p;
}

/** Strict parse of the (already authenticated) payload; field names in the detail, never values. */
function parsePayload(bytes: Uint8Array): DirectoryPayload {
  let raw: unknown;
  try {
    raw = JSON.parse(fromUtf8(bytes, 'payload'));
  } catch {
    throw new DirectoryError('bad_payload', 'not UTF-8 JSON');
  }
  const bad = (field: string): never => {
    throw new DirectoryError('bad_payload', field);
  };
  if (!isObject(raw)) return bad('payload');
  if (raw.v !== 1) bad('v');
  if (typeof raw.serial !== 'number' || !Number.isSafeInteger(raw.serial) || raw.serial < 0) bad('serial');
  for (const f of ['issuedAt', 'expiresAt'] as const) {
    const value = raw[f];
    if (typeof value !== 'string' || !ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) bad(f);
  }
  if (typeof raw.deploymentId !== 'string' || raw.deploymentId.length === 0) bad('deploymentId');
  if (typeof raw.root !== 'string') bad('root');
  if (!Array.isArray(raw.intake)) return bad('intake');
  const kids = new Set<string>();
  const intake = raw.intake.map((e: unknown, i): DirectoryIntakeEntry => {
    if (!isObject(e)) return bad(`intake[${i}]`);
    let pk: Uint8Array;
    try {
      pk = fromB64uExact(e.pk, 32, `intake[${i}].pk`);
    } catch {
      return bad(`intake[${i}].pk`);
    }
    if (e.kid !== kid(pk)) bad(`intake[${i}].kid`);
    if (kids.has(e.kid as string)) bad(`intake[${i}].kid`);
    kids.add(e.kid as string);
    if (typeof e.role !== 'string' || !(DIRECTORY_ROLES as readonly string[]).includes(e.role))
      bad(`intake[${i}].role`);
    if (typeof e.label !== 'string') bad(`intake[${i}].label`);
    return {
      kid: e.kid as string,
      pk: e.pk as string,
      role: e.role as DirectoryRole,
      label: e.label as string,
    };
  });
  const staff = raw.staff === undefined ? undefined : parseStaff(raw.staff, bad);
  return {
    v: 1,
    serial: raw.serial as number,
    issuedAt: raw.issuedAt as string,
    expiresAt: raw.expiresAt as string,
    deploymentId: raw.deploymentId as string,
    root: raw.root as string,
    intake,
    ...(staff ? { staff } : {}),
  };
}

/** §9's `staff` list: kid = kid(signPk), no kid twice, a text label. */
function parseStaff(raw: unknown, bad: (field: string) => never): DirectoryStaffEntry[] {
  if (!Array.isArray(raw)) return bad('staff');
  const kids = new Set<string>();
  return raw.map((e: unknown, i): DirectoryStaffEntry => {
    if (!isObject(e)) return bad(`staff[${i}]`);
    let pk: Uint8Array;
    try {
      pk = fromB64uExact(e.signPk, SIGN_PUBLIC_KEY_BYTES, `staff[${i}].signPk`);
    } catch {
      return bad(`staff[${i}].signPk`);
    }
    if (e.kid !== kid(pk) || kids.has(e.kid)) return bad(`staff[${i}].kid`);
    kids.add(e.kid);
    if (typeof e.label !== 'string') return bad(`staff[${i}].label`);
    return { kid: e.kid, signPk: e.signPk as string, label: e.label };
  });
}

/**
 * The sign public key and label of a staff member the verified directory lists (spec §9), by the
 * kid an envelope's author names; undefined if the directory does not list them (then a message
 * signed by that kid is not the organisation's).
 */
export function directoryStaffKey(
  payload: DirectoryPayload,
  authorKid: string,
): { signPk: Uint8Array; label: string } | undefined {
  const entry = payload.staff?.find((e) => e.kid === authorKid);
  return entry
    ? { signPk: fromB64uExact(entry.signPk, SIGN_PUBLIC_KEY_BYTES, 'staff.signPk'), label: entry.label }
    : undefined;
}

/** Decodes the intake public keys of a verified directory, for sealEnvelope. */
export function intakePublicKeys(payload: DirectoryPayload): Uint8Array[] {
  return payload.intake.map((e, i) => fromB64uExact(e.pk, 32, `intake[${i}].pk`));
}
