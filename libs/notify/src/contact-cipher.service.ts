import { Inject, Injectable } from '@nestjs/common';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { cryptoReady, fromB64uExact, fromUtf8, HintsCipher } from '@panah/crypto';
import type { ContactDetail } from './channel';

/**
 * Contact details at rest: the crypto-v1 server-side AEAD (the hints format) under the current
 * data key, bound to the contact method's id so a ciphertext cannot be moved onto another row.
 */
@Injectable()
export class ContactCipher {
  private cipher: HintsCipher | null = null;

  constructor(@Inject(PANAH_CONFIG) private readonly config: PanahConfig) {}

  private async ready(): Promise<HintsCipher> {
    if (this.cipher) return this.cipher;
    await cryptoReady();
    const keys = new Map<string, Uint8Array>();
    for (const [id, key] of this.config.dataKeys.keys)
      keys.set(id, fromB64uExact(key, 32, `DATA_KEYS.${id}`));
    this.cipher = new HintsCipher({ currentKeyId: this.config.dataKeys.current, keys });
    return this.cipher;
  }

  async encrypt(methodId: string, detail: ContactDetail): Promise<string> {
    return (await this.ready()).encrypt(`contact-${methodId}`, JSON.stringify(detail));
  }

  async decrypt(methodId: string, stored: string): Promise<ContactDetail> {
    return JSON.parse(fromUtf8((await this.ready()).decrypt(`contact-${methodId}`, stored))) as ContactDetail;
  }
}
