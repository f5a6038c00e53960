import { CryptoFormatError } from './errors';
import { toB64u, utf8 } from './encoding';
import { SIGN_SECRET_KEY_BYTES } from './keys';
import { sodium } from './sodium';

export type SignalKind = 'checkin' | 'panic';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Spec §8: b64u(crypto_sign_detached(utf8("panah/v1/" + kind + "/" + id + "/" + at), signSk)). */
export function signSignal(kind: SignalKind, id: string, at: string, signSecretKey: Uint8Array): string {
  if (!UUID.test(id)) throw new CryptoFormatError('id', 'must be a lowercase UUID');
  if (!AT.test(at)) throw new CryptoFormatError('at', 'must be YYYY-MM-DDTHH:MM:SS.sssZ');
  if (signSecretKey.length !== SIGN_SECRET_KEY_BYTES)
    throw new CryptoFormatError('signSecretKey', 'must be 64 bytes');
  return toB64u(sodium().crypto_sign_detached(utf8(`panah/v1/${kind}/${id}/${at}`), signSecretKey));
}
