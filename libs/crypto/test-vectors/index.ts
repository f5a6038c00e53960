/**
 * Typed access to the JSON test vectors for the specs. Hex is decoded here without libsodium so a
 * vector check never leans on the code under test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Read at runtime rather than `import x from './x.json'`: the specs run both as CommonJS and under
// Jest's native ESM mode, which wants import attributes that the CommonJS typecheck rejects.
// `typeof import(...)` keeps the vectors typed without a runtime import.
function findVectorDir(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const candidate = join(dir, 'libs', 'crypto', 'test-vectors');
    if (existsSync(join(candidate, 'envelope.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error('libs/crypto/test-vectors not found above the working directory');
  }
}

const vectorDir = findVectorDir();
const load = <T>(name: string): T => JSON.parse(readFileSync(join(vectorDir, name), 'utf8')) as T;

export const vectors = {
  attachment: load<typeof import('./attachment.json')>('attachment.json'),
  directory: load<typeof import('./directory.json')>('directory.json'),
  encoding: load<typeof import('./encoding.json')>('encoding.json'),
  envelope: load<typeof import('./envelope.json')>('envelope.json'),
  grant: load<typeof import('./grant.json')>('grant.json'),
  hints: load<typeof import('./hints.json')>('hints.json'),
  reporter: load<typeof import('./reporter.json')>('reporter.json'),
  staff: load<typeof import('./staff.json')>('staff.json'),
};

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
