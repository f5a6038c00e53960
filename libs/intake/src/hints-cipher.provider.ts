import type { Provider } from '@nestjs/common';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { cryptoReady, fromB64uExact, HintsCipher } from '@panah/crypto';

/**
 * The at-rest cipher for triage hints (crypto-v1 §6), built once from the configured data keys.
 * The API only encrypts with it; the triage worker is the only reader (G2).
 */
export const HINTS_CIPHER = Symbol('HINTS_CIPHER');

export const hintsCipherProvider: Provider = {
  provide: HINTS_CIPHER,
  inject: [PANAH_CONFIG],
  useFactory: async (config: PanahConfig): Promise<HintsCipher> => {
    await cryptoReady();
    const keys = new Map<string, Uint8Array>();
    for (const [id, key] of config.dataKeys.keys) keys.set(id, fromB64uExact(key, 32, `DATA_KEYS.${id}`));
    return new HintsCipher({ currentKeyId: config.dataKeys.current, keys });
  },
};
