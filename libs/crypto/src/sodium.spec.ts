import { CryptoNotReadyError } from './errors';
import { kid } from './encoding';
import { cryptoReady } from './sodium';

// Its own file: Jest gives each test file a fresh module registry, so libsodium starts unloaded.
describe('cryptoReady', () => {
  it('makes every function refuse to run until libsodium is loaded, then work', async () => {
    expect(() => kid(new Uint8Array(32))).toThrow(CryptoNotReadyError);
    const pending = cryptoReady();
    expect(cryptoReady()).toBe(pending);
    await pending;
    expect(kid(new Uint8Array(32))).toHaveLength(22);
  });
});
