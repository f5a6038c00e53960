import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type PanahConfig } from '@panah/config';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * At-rest encryption of staff TOTP secrets with the server data keys (ChaCha20-Poly1305, random
 * nonce), stored as `v1.<keyId>.<b64u nonce>.<b64u ct||tag>`. The additional data binds each
 * value to its account and purpose (`panah/v1/totp-secret/<staffId>`), so a secret cannot be
 * moved to another account or mistaken for any other kind of encrypted value. Key ids allow the
 * same rotation as the hints (DATA_KEYS / DATA_KEY_ID).
 */
export class TotpSecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly current: string;

  constructor(dataKeys: PanahConfig['dataKeys']) {
    for (const [id, key] of dataKeys.keys) this.keys.set(id, Buffer.from(key, 'base64url'));
    this.current = dataKeys.current;
  }

  seal(staffId: string, secret: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('chacha20-poly1305', this.key(this.current), nonce, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(ad(staffId), { plaintextLength: Buffer.byteLength(secret, 'utf8') });
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${this.current}.${nonce.toString('base64url')}.${ct.toString('base64url')}`;
  }

  /** Throws on a malformed, foreign or tampered value (never returns a wrong secret). */
  open(staffId: string, stored: string): string {
    const [v, keyId, nonceB64, ctB64, ...rest] = stored.split('.');
    if (v !== 'v1' || rest.length > 0 || !KEY_ID.test(keyId ?? '') || !nonceB64 || !ctB64)
      throw new Error('malformed sealed secret');
    const nonce = Buffer.from(nonceB64, 'base64url');
    const blob = Buffer.from(ctB64, 'base64url');
    if (nonce.length !== NONCE_BYTES || blob.length < TAG_BYTES) throw new Error('malformed sealed secret');
    const decipher = createDecipheriv('chacha20-poly1305', this.key(keyId), nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(ad(staffId), { plaintextLength: blob.length - TAG_BYTES });
    decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(blob.subarray(0, blob.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new Error(`data key ${id} is not configured`);
    return key;
  }
}

function ad(staffId: string): Buffer {
  return Buffer.from(`panah/v1/totp-secret/${staffId}`, 'utf8');
}
