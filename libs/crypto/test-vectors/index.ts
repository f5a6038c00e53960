/**
 * Typed access to the JSON test vectors for the specs. Hex is decoded here without libsodium so a
 * vector check never leans on the code under test.
 */
import attachment from './attachment.json';
import directory from './directory.json';
import encoding from './encoding.json';
import envelope from './envelope.json';
import hints from './hints.json';
import reporter from './reporter.json';
import staff from './staff.json';

export const vectors = { attachment, directory, encoding, envelope, hints, reporter, staff };

export function unhex(text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new Error('bad hex in test vector');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fast byte equality for large buffers (jest's toEqual walks typed arrays element by element). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Random test data. libsodium.js's randombytes_buf is pathologically slow for large odd sizes
 * (seconds per MiB), so tests fill big buffers with the platform CSPRNG in 64 KiB slices.
 */
export function randomPlaintext(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(size, offset + 65536)));
  return out;
}
