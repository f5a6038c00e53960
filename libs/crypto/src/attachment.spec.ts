import fc from 'fast-check';
import libsodium from 'libsodium-wrappers-sumo';
import { randomPlaintext, sameBytes, unhex, vectors } from '../test-vectors';
import {
  ATTACHMENT_CIPHER_CHUNK_BYTES,
  attachmentBlobSize,
  attachmentHash,
  attachmentPlaintextSize,
  createAttachmentDecryptStream,
  createAttachmentEncryptStream,
  decryptAttachment,
  encryptAttachment,
  generateAttachmentKey,
} from './attachment';
import { concatBytes, fromB64u, toB64u } from './encoding';
import { DecryptionError } from './errors';
import { cryptoReady } from './sodium';

beforeAll(() => cryptoReady());

const v = vectors.attachment;
const vectorKey = unhex(v.keyHex);
const body = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

/** Decrypts with raw libsodium, splitting at 65,553-byte boundaries: an independent reader. */
function rawDecrypt(blob: Uint8Array, key: Uint8Array): Uint8Array {
  const state = libsodium.crypto_secretstream_xchacha20poly1305_init_pull(blob.subarray(0, 24), key);
  const parts: Uint8Array[] = [];
  let tag = -1;
  for (let o = 24; o < blob.length; o += ATTACHMENT_CIPHER_CHUNK_BYTES) {
    const r = libsodium.crypto_secretstream_xchacha20poly1305_pull(
      state,
      blob.subarray(o, o + ATTACHMENT_CIPHER_CHUNK_BYTES),
      null,
    );
    if (r === false) throw new Error('raw pull failed');
    parts.push(r.message);
    tag = r.tag;
  }
  if (tag !== libsodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) throw new Error('no final tag');
  return concatBytes(...parts);
}

async function pipe(
  input: Uint8Array,
  splits: number[],
  transform: TransformStream<Uint8Array, Uint8Array>,
): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let offset = 0;
  for (const s of [...splits].sort((a, b) => a - b)) {
    const at = Math.min(s, input.length);
    pieces.push(input.subarray(offset, at));
    offset = Math.max(offset, at);
  }
  pieces.push(input.subarray(offset));
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of pieces) controller.enqueue(p);
      controller.close();
    },
  });
  const out: Uint8Array[] = [];
  const reader = source.pipeThrough(transform).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.push(value);
  }
  return concatBytes(...out);
}

describe('attachment vectors (spec §2)', () => {
  it.each(v.cases)('opens the vector: $note', (c) => {
    const plaintext = decryptAttachment(fromB64u(c.blob), vectorKey);
    expect(sameBytes(plaintext, body(c.size))).toBe(true);
    expect(toB64u(attachmentHash(plaintext))).toBe(c.hash);
    expect(attachmentPlaintextSize(c.blobSize)).toBe(c.size);
  });

  it.each(v.cases.filter((c) => c.chunkSizes.length === Math.max(1, Math.ceil(c.size / 65536))))(
    'encrypts $size bytes to the vector layout: $note',
    (c) => {
      const blob = encryptAttachment(body(c.size), vectorKey);
      expect(blob.length).toBe(c.blobSize);
      expect(attachmentBlobSize(c.size)).toBe(c.blobSize);
      expect(sameBytes(rawDecrypt(blob, vectorKey), body(c.size))).toBe(true);
    },
  );

  it.each(v.cases)('decrypts the vector through the stream in uneven pieces: $note', async (c) => {
    const out = await pipe(
      fromB64u(c.blob),
      [1, 23, 24, 25, 40000, 65577, 65578, 70000],
      createAttachmentDecryptStream(vectorKey),
    );
    expect(sameBytes(out, body(c.size))).toBe(true);
  });
});

describe('attachment sizes', () => {
  it('maps plaintext sizes to blob sizes and back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
        expect(attachmentPlaintextSize(attachmentBlobSize(n))).toBe(n);
      }),
    );
  });

  it('rejects blob sizes no valid blob can have', () => {
    for (const n of [0, 23, 24, 40, 24 + 65553 + 1, 24 + 65553 + 16, -1, 1.5])
      expect(attachmentPlaintextSize(n)).toBeNull();
    expect(attachmentPlaintextSize(24 + 65553 + 17)).toBe(65536);
  });
});

describe('attachment round trips and tampering', () => {
  it('round-trips random sizes through buffers and streams with random chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300_000 }),
        fc.array(fc.nat({ max: 400_000 }), { maxLength: 6 }),
        fc.array(fc.nat({ max: 400_000 }), { maxLength: 6 }),
        async (size, encSplits, decSplits) => {
          const key = generateAttachmentKey();
          const plaintext = randomPlaintext(size);
          const blob = await pipe(plaintext, encSplits, createAttachmentEncryptStream(key));
          expect(blob.length).toBe(attachmentBlobSize(size));
          expect(sameBytes(decryptAttachment(blob, key), plaintext)).toBe(true);
          expect(
            sameBytes(
              await pipe(encryptAttachment(plaintext, key), decSplits, createAttachmentDecryptStream(key)),
              plaintext,
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('round-trips a few multi-MiB files', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024 * 1024, max: 5 * 1024 * 1024 }), (size) => {
        const key = generateAttachmentKey();
        const plaintext = randomPlaintext(size);
        expect(sameBytes(decryptAttachment(encryptAttachment(plaintext, key), key), plaintext)).toBe(true);
      }),
      { numRuns: 3 },
    );
  });

  let key: Uint8Array;
  beforeAll(() => {
    key = generateAttachmentKey();
  });
  const blob3 = (): Uint8Array => encryptAttachment(randomPlaintext(2 * 65536 + 10), key); // 3 chunks

  it('fails after flipping any byte, header included', () => {
    const blob = encryptAttachment(randomPlaintext(70_000), key);
    fc.assert(
      fc.property(fc.nat({ max: blob.length - 1 }), (i) => {
        const bad = blob.slice();
        bad[i] ^= 0x01;
        expect(() => decryptAttachment(bad, key)).toThrow(DecryptionError);
      }),
      { numRuns: 150 },
    );
    for (let i = 0; i < 24; i++) {
      const bad = blob.slice();
      bad[i] ^= 0x80;
      expect(() => decryptAttachment(bad, key)).toThrow(DecryptionError);
    }
  });

  it('rejects truncation: a dropped final chunk, a cut chunk, or only the header', async () => {
    const blob = blob3();
    const withoutLast = blob.subarray(0, 24 + 2 * ATTACHMENT_CIPHER_CHUNK_BYTES);
    expect(() => decryptAttachment(withoutLast, key)).toThrow('truncated');
    await expect(pipe(withoutLast, [1000], createAttachmentDecryptStream(key))).rejects.toThrow('truncated');
    expect(() => decryptAttachment(blob.subarray(0, blob.length - 1), key)).toThrow(DecryptionError);
    expect(() => decryptAttachment(blob.subarray(0, 24), key)).toThrow('truncated');
    expect(() => decryptAttachment(blob.subarray(0, 10), key)).toThrow('shorter than its header');
  });

  it('rejects reordered chunks', () => {
    const blob = blob3();
    const c = (i: number): Uint8Array =>
      blob.subarray(24 + i * ATTACHMENT_CIPHER_CHUNK_BYTES, 24 + (i + 1) * ATTACHMENT_CIPHER_CHUNK_BYTES);
    const swapped = concatBytes(
      blob.subarray(0, 24),
      c(1),
      c(0),
      blob.subarray(24 + 2 * ATTACHMENT_CIPHER_CHUNK_BYTES),
    );
    expect(() => decryptAttachment(swapped, key)).toThrow(DecryptionError);
  });

  it('rejects data after the final chunk', async () => {
    const full = encryptAttachment(randomPlaintext(65536), key); // one full FINAL chunk
    for (const extra of [new Uint8Array(1), new Uint8Array(17), full.subarray(24)]) {
      const bad = concatBytes(full, extra);
      expect(() => decryptAttachment(bad, key)).toThrow(DecryptionError);
      await expect(pipe(bad, [full.length], createAttachmentDecryptStream(key))).rejects.toThrow(
        DecryptionError,
      );
    }
    const small = encryptAttachment(randomPlaintext(10), key);
    expect(() => decryptAttachment(concatBytes(small, small.subarray(24)), key)).toThrow(DecryptionError);
  });

  it('rejects the wrong key and a different file header', () => {
    const blob = blob3();
    expect(() => decryptAttachment(blob, generateAttachmentKey())).toThrow(DecryptionError);
    const other = encryptAttachment(randomPlaintext(10), key);
    expect(() => decryptAttachment(concatBytes(other.subarray(0, 24), blob.subarray(24)), key)).toThrow(
      DecryptionError,
    );
  });
});
