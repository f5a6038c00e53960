import { CryptoFormatError, SignatureError } from './errors';
import { concatBytes, fromB64u, fromB64uExact, fromUtf8, kid, toB64u, utf8 } from './encoding';
import { SIGNATURE_BYTES } from './keys';
import { sodium } from './sodium';

/**
 * The release manifest of the web clients (DESIGN "The clients"): every file the API serves, by
 * the path it is served at, with b64u(crypto_generichash(32, bytes)), signed offline with the
 * organisation root key exactly like the key directory (signature over the exact payload bytes):
 * `{ v: 1, payload: b64u(P), sig: b64u(crypto_sign_detached(utf8("panah/v1/client-manifest\n") || P, rootSk)) }`,
 * `P = { v: 1, issuedAt, root: kid(rootPk), files: { "<path>": "<hash>" } }`.
 */
const PREFIX = 'panah/v1/client-manifest\n';

export interface ClientManifestPayload {
  readonly v: 1;
  readonly issuedAt: string;
  readonly root: string;
  readonly files: Readonly<Record<string, string>>;
}

export interface SignedClientManifest {
  readonly v: 1;
  readonly payload: string;
  readonly sig: string;
}

export function clientFileHash(bytes: Uint8Array): string {
  return toB64u(sodium().crypto_generichash(32, bytes, null));
}

export function signClientManifest(
  files: Readonly<Record<string, string>>,
  rootPublicKey: Uint8Array,
  rootSecretKey: Uint8Array,
  issuedAt: Date,
): SignedClientManifest {
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const payload = utf8(
    JSON.stringify({ v: 1, issuedAt: issuedAt.toISOString(), root: kid(rootPublicKey), files: sorted }),
  );
  const sig = sodium().crypto_sign_detached(concatBytes(utf8(PREFIX), payload), rootSecretKey);
  return { v: 1, payload: toB64u(payload), sig: toB64u(sig) };
}

/** Verifies the root signature over the exact payload bytes before parsing them. */
export function verifyClientManifest(doc: unknown, rootPublicKey: Uint8Array): ClientManifestPayload {
  const d = doc as Partial<SignedClientManifest> | null;
  if (typeof d !== 'object' || d === null || d.v !== 1)
    throw new CryptoFormatError('manifest', 'is not a Panah client manifest');
  const payload = fromB64u(d.payload, 'manifest.payload');
  const sig = fromB64uExact(d.sig, SIGNATURE_BYTES, 'manifest.sig');
  if (!sodium().crypto_sign_verify_detached(sig, concatBytes(utf8(PREFIX), payload), rootPublicKey))
    throw new SignatureError();
  const p = JSON.parse(fromUtf8(payload)) as ClientManifestPayload;
  if (p.v !== 1 || p.root !== kid(rootPublicKey) || typeof p.files !== 'object' || p.files === null)
    throw new CryptoFormatError('manifest.payload', 'has the wrong shape or root');
  return p;
}
