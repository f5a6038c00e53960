/**
 * Typed errors of @panah/crypto. Messages are fixed strings chosen here plus field paths and
 * reason codes: never key material, plaintext or attacker-supplied values, so they are safe to log
 * and to return in a 4xx body.
 */
export abstract class CryptoError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class CryptoNotReadyError extends CryptoError {
  readonly code = 'crypto/not_ready';
  constructor() {
    super('libsodium is not initialised: await cryptoReady() first');
  }
}

/** Structurally invalid input. `field` is a path such as `recipients[2].wk`. */
export class CryptoFormatError extends CryptoError {
  readonly code = 'crypto/bad_format';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** Authenticated decryption failed: wrong key, not a recipient, or tampered ciphertext. */
export class DecryptionError extends CryptoError {
  readonly code = 'crypto/decryption_failed';
  constructor(message = 'decryption failed') {
    super(message);
  }
}

/** A signature did not verify, or was made by a different key than the one named. */
export class SignatureError extends CryptoError {
  readonly code = 'crypto/bad_signature';
  constructor(message = 'signature verification failed') {
    super(message);
  }
}

export type DirectoryRejection =
  | 'bad_format'
  | 'bad_signature'
  | 'wrong_root'
  | 'bad_payload'
  | 'expired'
  | 'serial_rollback'
  | 'wrong_deployment'
  | 'empty_intake';

/** The signed key directory was rejected; `reason` says why (a stable code for UIs and logs). */
export class DirectoryError extends CryptoError {
  readonly code = 'crypto/directory_rejected';
  constructor(
    readonly reason: DirectoryRejection,
    detail?: string,
  ) {
    super(
      detail === undefined
        ? `key directory rejected: ${reason}`
        : `key directory rejected: ${reason} (${detail})`,
    );
  }
}

/** Stored data names a data key id that the key ring does not hold (e.g. removed too early). */
export class UnknownDataKeyError extends CryptoError {
  readonly code = 'crypto/unknown_data_key';
  constructor(readonly keyId: string) {
    super(`unknown data key id '${keyId}'`);
  }
}
