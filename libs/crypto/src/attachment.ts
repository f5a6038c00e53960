import type { StateAddress } from 'libsodium-wrappers-sumo';
import { CryptoFormatError, DecryptionError } from './errors';
import { concatBytes } from './encoding';
import { sodium, wipe } from './sodium';

/** Spec §2: plaintext bytes per secretstream chunk. */
export const ATTACHMENT_CHUNK_BYTES = 65536;
export const ATTACHMENT_HEADER_BYTES = 24;
/** Per-chunk overhead: 1 tag byte + 16-byte MAC. */
export const ATTACHMENT_CHUNK_OVERHEAD = 17;
export const ATTACHMENT_CIPHER_CHUNK_BYTES = ATTACHMENT_CHUNK_BYTES + ATTACHMENT_CHUNK_OVERHEAD;
export const ATTACHMENT_KEY_BYTES = 32;

export function generateAttachmentKey(): Uint8Array {
  return sodium().crypto_secretstream_xchacha20poly1305_keygen();
}

/** `b64u(crypto_generichash(32, plaintext))` goes in the attachment reference as `hash`. */
export function attachmentHash(plaintext: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, plaintext, null);
}

/**
 * Blob size our encryptor produces for a plaintext size: ceil(n / 64 KiB) chunks, at least one
 * (an empty file is a single empty FINAL chunk), the last one FINAL.
 */
export function attachmentBlobSize(plaintextSize: number): number {
  if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0)
    throw new CryptoFormatError('size', 'must be a non-negative integer');
  const chunks = Math.max(1, Math.ceil(plaintextSize / ATTACHMENT_CHUNK_BYTES));
  return ATTACHMENT_HEADER_BYTES + plaintextSize + chunks * ATTACHMENT_CHUNK_OVERHEAD;
}

/**
 * For the server, which stores blobs it cannot open: the plaintext size a blob of `blobSize` bytes
 * must hold if it is well formed (header, full 65,553-byte chunks, a last chunk of 17..65,553
 * bytes), or null if no valid blob has that size. Catches truncated uploads early.
 */
export function attachmentPlaintextSize(blobSize: number): number | null {
  if (!Number.isSafeInteger(blobSize)) return null;
  const body = blobSize - ATTACHMENT_HEADER_BYTES;
  if (body < ATTACHMENT_CHUNK_OVERHEAD) return null;
  const rest = body % ATTACHMENT_CIPHER_CHUNK_BYTES;
  if (rest !== 0 && rest < ATTACHMENT_CHUNK_OVERHEAD) return null;
  const chunks = Math.ceil(body / ATTACHMENT_CIPHER_CHUNK_BYTES);
  return body - chunks * ATTACHMENT_CHUNK_OVERHEAD;
}

function checkKey(key: Uint8Array): void {
  if (key.length !== ATTACHMENT_KEY_BYTES) throw new CryptoFormatError('key', 'must be 32 bytes');
}

/**
 * Incremental encryptor. It holds back up to one chunk so that the FINAL tag lands on the last
 * data chunk: a stream gives exactly the bytes encryptAttachment gives for the same input.
 */
export class AttachmentEncryptor {
  private readonly state: StateAddress;
  private header: Uint8Array | undefined;
  private pending = new Uint8Array(ATTACHMENT_CHUNK_BYTES);
  private pendingLength = 0;
  private finished = false;

  constructor(key: Uint8Array) {
    checkKey(key);
    const init = sodium().crypto_secretstream_xchacha20poly1305_init_push(key);
    this.state = init.state;
    this.header = init.header;
  }

  /** Returns the ciphertext pieces that are ready (the header first). */
  push(data: Uint8Array): Uint8Array[] {
    if (this.finished) throw new CryptoFormatError('attachment', 'write after end');
    const out = this.takeHeader();
    let offset = 0;
    while (offset < data.length) {
      if (this.pendingLength === ATTACHMENT_CHUNK_BYTES) {
        // More data exists after a full chunk, so that chunk is not the last one.
        out.push(this.seal(this.pending, sodium().crypto_secretstream_xchacha20poly1305_TAG_MESSAGE));
        this.pendingLength = 0;
      }
      const n = Math.min(ATTACHMENT_CHUNK_BYTES - this.pendingLength, data.length - offset);
      this.pending.set(data.subarray(offset, offset + n), this.pendingLength);
      this.pendingLength += n;
      offset += n;
    }
    return out;
  }

  /** Emits the FINAL chunk. */
  finish(): Uint8Array[] {
    if (this.finished) throw new CryptoFormatError('attachment', 'finished twice');
    const out = this.takeHeader();
    out.push(
      this.seal(
        this.pending.subarray(0, this.pendingLength),
        sodium().crypto_secretstream_xchacha20poly1305_TAG_FINAL,
      ),
    );
    this.finished = true;
    wipe(this.pending);
    return out;
  }

  private takeHeader(): Uint8Array[] {
    const h = this.header;
    this.header = undefined;
    return h === undefined ? [] : [h];
  }

  private seal(chunk: Uint8Array, tag: number): Uint8Array {
    return sodium().crypto_secretstream_xchacha20poly1305_push(this.state, chunk, null, tag);
  }
}

/**
 * Incremental decryptor. Rejects a bad header or key, modified/reordered/dropped chunks (the
 * secretstream MACs chain), data after the FINAL chunk, and a stream that ends without FINAL.
 */
export class AttachmentDecryptor {
  private state: StateAddress | undefined;
  private readonly key: Uint8Array;
  private buffered: Uint8Array[] = [];
  private bufferedLength = 0;
  private sawFinal = false;

  constructor(key: Uint8Array) {
    checkKey(key);
    this.key = key;
  }

  push(data: Uint8Array): Uint8Array[] {
    if (this.sawFinal) {
      if (data.length > 0) throw new DecryptionError('attachment has data after its final chunk');
      return [];
    }
    this.buffered.push(data);
    this.bufferedLength += data.length;
    const out: Uint8Array[] = [];
    if (this.state === undefined) {
      if (this.bufferedLength < ATTACHMENT_HEADER_BYTES) return out;
      this.state = sodium().crypto_secretstream_xchacha20poly1305_init_pull(
        this.take(ATTACHMENT_HEADER_BYTES),
        this.key,
      );
    }
    // A full cipher chunk can be opened at once: if it carries FINAL, any later byte is an error.
    while (this.bufferedLength >= ATTACHMENT_CIPHER_CHUNK_BYTES) {
      if (this.sawFinal) throw new DecryptionError('attachment has data after its final chunk');
      out.push(this.open(this.take(ATTACHMENT_CIPHER_CHUNK_BYTES)));
    }
    if (this.sawFinal && this.bufferedLength > 0)
      throw new DecryptionError('attachment has data after its final chunk');
    return out;
  }

  finish(): Uint8Array[] {
    if (this.state === undefined) throw new DecryptionError('attachment is shorter than its header');
    const out: Uint8Array[] = [];
    if (this.bufferedLength > 0) {
      if (this.sawFinal) throw new DecryptionError('attachment has data after its final chunk');
      out.push(this.open(this.take(this.bufferedLength)));
    }
    if (!this.sawFinal) throw new DecryptionError('attachment is truncated (no final chunk)');
    return out;
  }

  private open(chunk: Uint8Array): Uint8Array {
    const s = sodium();
    if (chunk.length < ATTACHMENT_CHUNK_OVERHEAD) throw new DecryptionError('attachment is truncated');
    const result = s.crypto_secretstream_xchacha20poly1305_pull(this.state as StateAddress, chunk, null);
    if (result === false) throw new DecryptionError('attachment chunk failed authentication');
    if (result.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) this.sawFinal = true;
    return result.message;
  }

  /** Removes n bytes from the front of the buffer, avoiding a copy when one piece holds them. */
  private take(n: number): Uint8Array {
    const first = this.buffered[0];
    let result: Uint8Array;
    if (first.length >= n) {
      result = first.subarray(0, n);
      if (first.length === n) this.buffered.shift();
      else this.buffered[0] = first.subarray(n);
    } else {
      const all = concatBytes(...this.buffered);
      result = all.subarray(0, n);
      this.buffered = all.length > n ? [all.subarray(n)] : [];
    }
    this.bufferedLength -= n;
    return result;
  }
}

/**
 * Encrypts a whole file to `header || c1 || … || cn` (spec §2). Same layout as
 * AttachmentEncryptor, without its staging copy: chunks are sealed straight from `plaintext`.
 */
export function encryptAttachment(plaintext: Uint8Array, key: Uint8Array): Uint8Array {
  checkKey(key);
  const s = sodium();
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
  const out = new Uint8Array(attachmentBlobSize(plaintext.length));
  out.set(header, 0);
  let offset = header.length;
  const chunks = Math.max(1, Math.ceil(plaintext.length / ATTACHMENT_CHUNK_BYTES));
  for (let i = 0; i < chunks; i++) {
    const piece = plaintext.subarray(i * ATTACHMENT_CHUNK_BYTES, (i + 1) * ATTACHMENT_CHUNK_BYTES);
    const tag =
      i === chunks - 1
        ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const sealed = s.crypto_secretstream_xchacha20poly1305_push(state, piece, null, tag);
    out.set(sealed, offset);
    offset += sealed.length;
  }
  return out;
}

/** Decrypts a whole blob; throws DecryptionError on any tampering, truncation or trailing data. */
export function decryptAttachment(blob: Uint8Array, key: Uint8Array): Uint8Array {
  const dec = new AttachmentDecryptor(key);
  const pieces = [...dec.push(blob), ...dec.finish()];
  if (pieces.length === 1) return pieces[0];
  // A blob that decrypted completely has a well-formed size, so the output can be allocated once.
  const out = new Uint8Array(attachmentPlaintextSize(blob.length) as number);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/** Web TransformStream: plaintext bytes in (any chunking), blob bytes out. */
export function createAttachmentEncryptStream(key: Uint8Array): TransformStream<Uint8Array, Uint8Array> {
  const enc = new AttachmentEncryptor(key);
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      for (const piece of enc.push(chunk)) controller.enqueue(piece);
    },
    flush(controller) {
      for (const piece of enc.finish()) controller.enqueue(piece);
    },
  });
}

/** Web TransformStream: blob bytes in (any chunking), plaintext out; errors the stream on tampering. */
export function createAttachmentDecryptStream(key: Uint8Array): TransformStream<Uint8Array, Uint8Array> {
  const dec = new AttachmentDecryptor(key);
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      for (const piece of dec.push(chunk)) controller.enqueue(piece);
    },
    flush(controller) {
      for (const piece of dec.finish()) controller.enqueue(piece);
    },
  });
}
