import { createPublicKey, verify } from 'node:crypto';

/** What a reporter signs with their Ed25519 key, per signal: the kind keeps a panic from being replayed as a check-in. */
export type SafetySignalKind = 'checkin' | 'panic';

/**
 * The bytes a check-in or panic request signs: `utf8("panah/v1/<kind>/<id>/<at>")`, where `id` is
 * the client-chosen UUID and `at` the client's ISO-8601 time. The server refuses an `at` far from
 * its own clock, so a coerced reporter cannot be made to sign a stock of future check-ins.
 */
export function safetySignedBytes(kind: SafetySignalKind, id: string, at: string): Uint8Array {
  return new TextEncoder().encode(`panah/v1/${kind}/${id}/${at}`);
}

/** Ed25519 (what libsodium's crypto_sign_detached produces) verified with Node's own crypto. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
      format: 'jwk',
    });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
