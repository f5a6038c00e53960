import { Duplex } from 'node:stream';
import type {
  ReadableStream as NodeReadableStream,
  WritableStream as NodeWritableStream,
} from 'node:stream/web';
import { createAttachmentDecryptStream, createAttachmentEncryptStream } from '../attachment';

/**
 * Node stream adapters over the browser-safe web TransformStreams, for the CLI and any Node
 * process that pipes files (`pipeline(fs.createReadStream(f), nodeAttachmentEncryptor(key), out)`).
 * Node-only, hence outside the core and not exported by index.ts.
 */
export function nodeAttachmentEncryptor(key: Uint8Array): Duplex {
  return toNode(createAttachmentEncryptStream(key));
}

export function nodeAttachmentDecryptor(key: Uint8Array): Duplex {
  return toNode(createAttachmentDecryptStream(key));
}

function toNode(stream: TransformStream<Uint8Array, Uint8Array>): Duplex {
  // The DOM and node:stream/web typings describe the same runtime objects but do not unify.
  return Duplex.fromWeb({
    readable: stream.readable as unknown as NodeReadableStream,
    writable: stream.writable as unknown as NodeWritableStream,
  });
}
