import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import {
  attachmentBlobSize,
  decryptAttachment,
  encryptAttachment,
  generateAttachmentKey,
} from '../attachment';
import { DecryptionError } from '../errors';
import { cryptoReady } from '../sodium';
import { nodeAttachmentDecryptor, nodeAttachmentEncryptor } from './attachment-streams';

beforeAll(() => cryptoReady());

const randomPlaintext = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

async function run(
  input: Uint8Array,
  transform: NodeJS.ReadWriteStream,
  pieceSize = 10_000,
): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for (let o = 0; o < input.length; o += pieceSize) pieces.push(input.subarray(o, o + pieceSize));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(pieces),
    transform,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return new Uint8Array(Buffer.concat(out));
}

describe('Node attachment stream adapters', () => {
  it('encrypts a piped file that the buffer API decrypts, and decrypts back', async () => {
    const key = generateAttachmentKey();
    const plaintext = randomPlaintext(300_000);
    const blob = await run(plaintext, nodeAttachmentEncryptor(key));
    expect(blob.length).toBe(attachmentBlobSize(plaintext.length));
    expect(sameBytes(decryptAttachment(blob, key), plaintext)).toBe(true);
    expect(
      sameBytes(await run(encryptAttachment(plaintext, key), nodeAttachmentDecryptor(key), 7_777), plaintext),
    ).toBe(true);
  });

  it('fails the pipeline on a truncated blob', async () => {
    const key = generateAttachmentKey();
    const blob = encryptAttachment(randomPlaintext(200_000), key);
    await expect(run(blob.subarray(0, blob.length - 100), nodeAttachmentDecryptor(key))).rejects.toThrow(
      DecryptionError,
    );
  });
});
