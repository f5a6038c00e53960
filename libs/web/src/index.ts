/**
 * @panah/web — browser-only code shared by the two web clients (apps/reporter, apps/console).
 * The Vite configuration they share is in ../build (Node, build time only).
 */
export { hashWasmArgon2id } from './argon2';
export { solveProofOfWorkWasm } from './pow';
