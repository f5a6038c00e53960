/**
 * Crypto figures: `npm run bench -- crypto` (no database needed).
 * Acceptance (issue 3): attachments >= 150 MB/s, access-code derivation < 1 s.
 */
import {
  createAttachmentDecryptStream,
  createAttachmentEncryptStream,
  cryptoReady,
  decryptAttachment,
  deriveReporterKeys,
  deriveStaffMaster,
  encryptAttachment,
  generateAccessCode,
  generateAttachmentKey,
  generateStaffKdfSalt,
  generateStaffKeys,
  openEnvelope,
  sealEnvelope,
  validateEnvelope,
  verifyAuthor,
} from '@panah/crypto';

const MiB = 1024 * 1024;

function randomData(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let o = 0; o < size; o += 65536)
    globalThis.crypto.getRandomValues(out.subarray(o, Math.min(size, o + 65536)));
  return out;
}

/** Runs `fn` repeatedly for about `budgetMs` (at least `minRuns` times); returns ms per run. */
function time(fn: () => void, budgetMs = 1000, minRuns = 3): number {
  fn(); // warm-up
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || performance.now() - start < budgetMs) {
    fn();
    runs++;
  }
  return (performance.now() - start) / runs;
}

async function pipeThrough(
  data: Uint8Array,
  transform: TransformStream<Uint8Array, Uint8Array>,
): Promise<number> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let o = 0; o < data.length; o += 256 * 1024) controller.enqueue(data.subarray(o, o + 256 * 1024));
      controller.close();
    },
  });
  let total = 0;
  const reader = source.pipeThrough(transform).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return total;
    total += value.length;
  }
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits).padStart(9);

export async function run(): Promise<void> {
  await cryptoReady();
  const author = generateStaffKeys().signKeyPair;
  const readers = Array.from({ length: 8 }, () => generateStaffKeys().boxKeyPair);

  console.log('envelopes (seal = encrypt + wrap K per recipient + sign; open = unwrap + decrypt)');
  for (const size of [4 * 1024, MiB]) {
    for (const n of [1, 8]) {
      const plaintext = randomData(size);
      const seal = (): ReturnType<typeof sealEnvelope> =>
        sealEnvelope({
          kind: 'report',
          id: crypto.randomUUID(),
          plaintext,
          recipientPublicKeys: readers.slice(0, n).map((r) => r.publicKey),
          authorSignSecretKey: author.privateKey,
        });
      const env = seal();
      const sealMs = time(seal);
      const openMs = time(() => openEnvelope(env, readers[n - 1]));
      const verifyMs = time(() => verifyAuthor(env, author.publicKey));
      const validateMs = time(() => validateEnvelope(env));
      const label = `${size === MiB ? '1 MiB' : '4 KiB'}, ${n} recipient${n > 1 ? 's' : ' '}`;
      console.log(
        `  ${label.padEnd(18)} seal ${fmt(1000 / sealMs)} ops/s   open ${fmt(1000 / openMs)} ops/s   verifyAuthor ${fmt(1000 / verifyMs)} ops/s   validate (server) ${fmt(1000 / validateMs)} ops/s`,
      );
    }
  }

  console.log('attachments (secretstream, 64 KiB chunks)');
  const key = generateAttachmentKey();
  const file = randomData(64 * MiB);
  const blob = encryptAttachment(file, key);
  const mbps = (ms: number): string => fmt(file.length / MiB / (ms / 1000));
  console.log(
    `  buffer  encrypt ${mbps(time(() => encryptAttachment(file, key), 2000))} MB/s   decrypt ${mbps(time(() => decryptAttachment(blob, key), 2000))} MB/s   (MB = MiB, 64 MiB file)`,
  );
  const start = performance.now();
  await pipeThrough(file, createAttachmentEncryptStream(key));
  const encStreamMs = performance.now() - start;
  const start2 = performance.now();
  await pipeThrough(blob, createAttachmentDecryptStream(key));
  console.log(
    `  stream  encrypt ${mbps(encStreamMs)} MB/s   decrypt ${mbps(performance.now() - start2)} MB/s   (web TransformStream, 256 KiB writes)`,
  );

  console.log('key derivation (Argon2id)');
  const codeMs = time(() => deriveReporterKeys(generateAccessCode(), 'bench-deployment'), 2000);
  console.log(`  access code -> reporter keys (INTERACTIVE, 64 MiB)  ${fmt(codeMs, 0)} ms`);
  const salt = generateStaffKdfSalt();
  const staffMs = time(() => deriveStaffMaster('a staff password', salt), 0, 2);
  console.log(`  staff password -> master (MODERATE, 256 MiB)        ${fmt(staffMs, 0)} ms`);
}
