/** An X25519 key pair (crypto_box): `publicKey` 32 bytes, `privateKey` 32 bytes. */
export interface BoxKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** An Ed25519 key pair (crypto_sign): `publicKey` 32 bytes, `privateKey` 64 bytes (seed || pk). */
export interface SignKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export const BOX_PUBLIC_KEY_BYTES = 32;
export const BOX_SECRET_KEY_BYTES = 32;
export const SIGN_PUBLIC_KEY_BYTES = 32;
export const SIGN_SECRET_KEY_BYTES = 64;
export const SIGN_SEED_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const KID_BYTES = 16;
