/**
 * @panah/crypto — the crypto-v1 wire formats (docs/spec/crypto-v1.md) on libsodium.
 * Browser-safe: no Node or framework imports here (Node stream adapters live in ./node).
 * Call `await cryptoReady()` once before anything else.
 */
export { cryptoReady } from './sodium';
export * from './errors';
export {
  toB64u,
  fromB64u,
  fromB64uExact,
  utf8,
  fromUtf8,
  concatBytes,
  bytesEqual,
  kid,
  kdf,
  randomBytes,
} from './encoding';
export * from './keys';
export * from './envelope-validate';
export {
  envelopeAd,
  envelopeSignedBytes,
  recipientsHash,
  sealEnvelope,
  verifyAuthor,
  openEnvelope,
  openVerifiedEnvelope,
  wrapForRecipient,
  isRecipient,
} from './envelope';
export {
  grantSignedBytes,
  validateGrant,
  parseGrant,
  verifyGrant,
  envelopeKeyFor,
  openEnvelopeWithGrants,
  createGrant,
} from './grant';
export type { Grant, GrantValidationResult, SignKeyLookup, CreateGrantInput } from './grant';
export type { SealEnvelopeInput } from './envelope';
export * from './attachment';
export * from './reporter';
export {
  STAFF_KDF_SALT_BYTES,
  STAFF_PWHASH_OPS,
  STAFF_PWHASH_MEM,
  AUTH_HASH_OPS,
  AUTH_HASH_MEM,
  generateStaffKdfSalt,
  deriveStaffMaster,
  deriveStaffMasterWith,
  staffAuthKey,
  staffEncKey,
  deriveStaffKeys,
  generateStaffKeys,
  enrolStaffKeys,
  staffRegistrationBody,
  protectStaffSecret,
  openStaffSecret,
  signSeedOf,
  hashAuthKey,
  verifyAuthKeyHash,
  authKeyHashNeedsRehash,
} from './staff';
export type { EnrolledStaffKeys, StaffKeyPairs, StaffRegistrationBody } from './staff';
export * from './directory';
export { sodiumArgon2id, reporterKeysFromSeed } from './pwhash';
export type { Argon2id, Argon2idParams } from './pwhash';
export { HintsCipher, HINTS_FORMAT_VERSION, parseStoredHints } from './hints';
export type { DataKeyRingConfig } from './hints';
export * from './key-files';
export { signSignal } from './signal';
export type { SignalKind } from './signal';
export { clientFileHash, signClientManifest, verifyClientManifest } from './manifest';
export type { ClientManifestPayload, SignedClientManifest } from './manifest';
export { solveProofOfWork } from './pow';
