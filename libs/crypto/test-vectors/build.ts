/**
 * The crypto-v1 test vectors, built from RAW libsodium calls that transcribe
 * docs/spec/crypto-v1.md directly. It deliberately imports nothing from libs/crypto/src, so the
 * vectors check the library independently (an implementation in another binding must match them).
 * generate.ts writes them (`npm run crypto:vectors`) or checks the committed files (`--check`);
 * vectors.spec.ts checks them too.
 *
 * Every input is fixed, including what libsodium would draw at random: crypto_box_seal is written
 * out with a fixed ephemeral key (as libsodium builds a sealed box), secretstream pushes from a
 * state set up with a fixed header, and the pwhash_str salt is fixed. So building twice gives the
 * same bytes. Raw bytes are written as hex (independent of the b64u code under test); spec-level
 * b64u fields stay b64u.
 */
import type libsodium from 'libsodium-wrappers-sumo';

type S = typeof libsodium;
type Vector = Record<string, unknown>;
let sodium: S;
const hex = (b: Uint8Array): string => sodium.to_hex(b);
const unhex = (h: string): Uint8Array => sodium.from_hex(h);
const b64u = (b: Uint8Array): string => sodium.to_base64(b, sodium.base64_variants.URLSAFE_NO_PADDING);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
/** A fixed 32-byte value: byte i = (start + i) mod 256. */
const fixed = (start: number, length = 32): Uint8Array => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const kidOf = (s: S, pk: Uint8Array): string => b64u(s.crypto_generichash(16, pk, null));

/**
 * crypto_box_seal(m, pk) as libsodium builds it, with a fixed ephemeral key pair instead of a
 * random one: epk || crypto_box_easy(m, generichash(24, epk || pk), pk, esk). crypto_box_seal_open
 * opens it like any other sealed box.
 */
const sealWith = (s: S, m: Uint8Array, pk: Uint8Array, ephemeralSeed: Uint8Array): Uint8Array => {
  const e = s.crypto_box_seed_keypair(ephemeralSeed);
  const nonce = s.crypto_generichash(24, cat(e.publicKey, pk), null);
  return cat(e.publicKey, s.crypto_box_easy(m, nonce, pk, e.privateKey));
};

function encoding(s: S): Vector {
  const pks = [new Uint8Array(32), fixed(0), s.crypto_box_seed_keypair(fixed(100)).publicKey];
  return {
    description: 'kid(pk) = b64u(crypto_generichash(16, pk)); kdf = crypto_kdf_derive_from_key; strict URLSAFE_NO_PADDING b64u',
    kid: pks.map((pk) => ({ pkHex: hex(pk), kid: kidOf(s, pk) })),
    kdf: [
      { length: 32, id: 1, ctx: 'panahrep', keyHex: hex(fixed(7)) },
      { length: 32, id: 2, ctx: 'panahstf', keyHex: hex(fixed(9)) },
      { length: 16, id: 42, ctx: 'testctx!', keyHex: hex(fixed(1)) },
    ].map((v) => ({ ...v, outHex: hex(s.crypto_kdf_derive_from_key(v.length, v.id, v.ctx, unhex(v.keyHex))) })),
    b64uValid: [new Uint8Array(0), fixed(250, 1), fixed(251, 2), fixed(0xfa, 3), fixed(0xf8, 7)].map((b) => ({ hex: hex(b), b64u: b64u(b) })),
    // padding, standard alphabet, whitespace, a 1-char tail, non-canonical trailing bits, non-ASCII
    b64uInvalid: ['YQ==', 'YQ=', 'Y+8', 'Y/8', ' YQ', 'YQ\n', 'Y', 'YR', 'YWJjZA=', 'Y\u00e9'],
  };
}

function reporter(s: S): Vector {
  const deploymentId = 'panah-test-deployment-1';
  const salt = s.crypto_generichash(16, enc(`panah/v1/reporter-salt/${deploymentId}`), null);
  const derive = (code: string): Record<string, string> => {
    const seed = s.crypto_pwhash(32, code, salt, 2, 67108864, s.crypto_pwhash_ALG_ARGON2ID13);
    const box = s.crypto_box_seed_keypair(s.crypto_kdf_derive_from_key(32, 1, 'panahrep', seed));
    const sign = s.crypto_sign_seed_keypair(s.crypto_kdf_derive_from_key(32, 2, 'panahrep', seed));
    return {
      code,
      seedHex: hex(seed),
      boxPkHex: hex(box.publicKey),
      boxSkHex: hex(box.privateKey),
      signPkHex: hex(sign.publicKey),
      signSkHex: hex(sign.privateKey),
      reporterId: kidOf(s, sign.publicKey),
    };
  };
  const derivations = ['12345678901234567890', '00000000000000000000', '90210555501234987654'].map(derive);
  const signSk = unhex(derivations[0].signSkHex);
  const challenge = fixed(0x40);
  return {
    description: 'spec §3: access-code normalisation, reporter salt, Argon2id INTERACTIVE seed, kdf "panahrep" 1/2, auth challenge',
    deploymentId,
    saltHex: hex(salt),
    normalise: [
      { input: '12345678901234567890', normalised: '12345678901234567890', formatted: '1234 5678 9012 3456 7890' },
      { input: '1234 5678 9012 3456 7890', normalised: '12345678901234567890', formatted: '1234 5678 9012 3456 7890' },
      { input: '1234-5678-9012-3456-7890', normalised: '12345678901234567890', formatted: '1234 5678 9012 3456 7890' },
      { input: '۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۶ ۷۸۹۰', normalised: '12345678901234567890', formatted: '1234 5678 9012 3456 7890' },
      { input: '١٢٣٤-٥٦٧٨-٩٠١٢-٣٤٥٦-٧٨٩٠', normalised: '12345678901234567890', formatted: '1234 5678 9012 3456 7890' },
      { input: '۹۰۲۱ 0555-٥٠١٢ 3498 7654', normalised: '90210555501234987654', formatted: '9021 0555 5012 3498 7654' },
    ],
    invalid: ['', '1234567890123456789', '123456789012345678901', '1234 5678 9012 3456 789O', '1234_5678_9012_3456_7890', '12345678901234567890\n', '１２３４５６７８９０１２３４５６７８９０', '1234\u00a05678 9012 3456 7890'],
    derivations,
    challenges: [{ signSkHex: hex(signSk), challengeHex: hex(challenge), sigHex: hex(s.crypto_sign_detached(cat(enc('panah/v1/auth/'), challenge), signSk)) }],
  };
}

function staff(s: S): Vector {
  const password = 'correct horse battery staple — پناه';
  const kdfSalt = fixed(0x10, 16);
  const staffId = '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11';
  const master = s.crypto_pwhash(32, password, kdfSalt, 3, 268435456, s.crypto_pwhash_ALG_ARGON2ID13);
  const authKey = s.crypto_kdf_derive_from_key(32, 1, 'panahstf', master);
  const encKey = s.crypto_kdf_derive_from_key(32, 2, 'panahstf', master);
  const box = s.crypto_box_seed_keypair(fixed(0x20));
  const signSeed = fixed(0x30);
  const sign = s.crypto_sign_seed_keypair(signSeed);
  const nonce = fixed(0x50, 24);
  const ad = enc(`panah/v1/staff-secret/${staffId}`);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(cat(box.privateKey, signSeed), ad, null, nonce, encKey);
  return {
    description: 'spec §4: Argon2id MODERATE master, kdf "panahstf" 1/2, protected staff secret; authKeyHash is a crypto_pwhash_str (INTERACTIVE) of authKey, with a fixed salt (crypto_pwhash_str_verify accepts it)',
    password,
    kdfSaltHex: hex(kdfSalt),
    staffId,
    masterHex: hex(master),
    authKeyHex: hex(authKey),
    encKeyHex: hex(encKey),
    boxSkHex: hex(box.privateKey),
    boxPkHex: hex(box.publicKey),
    signSeedHex: hex(signSeed),
    signPkHex: hex(sign.publicKey),
    nonceHex: hex(nonce),
    protected: b64u(cat(nonce, ct)),
    authKeyHash: pwhashStr(s, authKey, fixed(0x58, 16), 2, 67108864),
  };
}

function envelopes(s: S): Vector {
  const cases = [
    { kind: 'report', id: '0b5f8c2e-7d1a-4c3b-9e6f-1a2b3c4d5e6f', plaintext: '{"schema":"report/1","narrative":"تهدید شدم — I was threatened"}', recipients: [0x60, 0x61] },
    { kind: 'note', id: '11111111-2222-4333-8444-555555555555', plaintext: '{"schema":"note/1","text":""}', recipients: [0x62] },
    { kind: 'checkin', id: 'a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e4', plaintext: '', recipients: [0x60, 0x62, 0x63] },
    { kind: 'message', id: 'c3c3c3c3-d4d4-4e5e-8f6f-a7a7a7a7a7a7', plaintext: '{"schema":"message/1","text":"We received your report. سلام"}', recipients: [0x64, 0x60] },
  ];
  return {
    description:
      'spec §1 envelope v2: ad = utf8("panah/v1/" + kind + "/" + id); ct = xchacha20poly1305(plaintext, ad, nonce, K); wk = crypto_box_seal(K, pk) (randomised; here with a fixed ephemeral key, any wk that opens to K is as good); rh = generichash(32, utf8(kid1 + "." + wk1 + "\\n" + …)); sig over ad || 0x00 || nonce || ct || 0x00 || rh (Ed25519 is deterministic: same signed bytes, same sig)',
    cases: cases.map((c, i) => {
      const key = fixed(0x70 + i);
      const nonce = fixed(0x90 + i, 24);
      const authorSeed = fixed(0xa0 + i);
      const author = s.crypto_sign_seed_keypair(authorSeed);
      const ad = enc(`panah/v1/${c.kind}/${c.id}`);
      const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(enc(c.plaintext), ad, null, nonce, key);
      const recipients = c.recipients.map((seedStart) => {
        const kp = s.crypto_box_seed_keypair(fixed(seedStart));
        return { pkHex: hex(kp.publicKey), skHex: hex(kp.privateKey), kid: kidOf(s, kp.publicKey), wk: b64u(sealWith(s, key, kp.publicKey, fixed(seedStart + 0x80 + i))) };
      });
      const rhText = recipients.map((r) => `${r.kid}.${r.wk}\n`).join('');
      const rh = s.crypto_generichash(32, enc(rhText), null);
      const signed = cat(ad, new Uint8Array([0]), nonce, ct, new Uint8Array([0]), rh);
      const sig = s.crypto_sign_detached(signed, author.privateKey);
      return {
        kind: c.kind,
        id: c.id,
        plaintext: c.plaintext,
        keyHex: hex(key),
        nonceHex: hex(nonce),
        authorSeedHex: hex(authorSeed),
        authorPkHex: hex(author.publicKey),
        authorSkHex: hex(author.privateKey),
        recipients,
        adHex: hex(ad),
        rhText,
        rhHex: hex(rh),
        signedHex: hex(signed),
        envelope: {
          v: 2,
          kind: c.kind,
          id: c.id,
          nonce: b64u(nonce),
          ct: b64u(ct),
          recipients: recipients.map((r) => ({ kid: r.kid, wk: r.wk })),
          author: { kid: kidOf(s, author.publicKey), sig: b64u(sig) },
        },
      };
    }),
  };
}

function grants(s: S, env: Vector): Vector {
  // A grant on envelope case 0 (the report), from a staff member (sign seed 0xa8) to a new reader.
  const source = (env as { cases: { id: string; keyHex: string; envelope: unknown }[] }).cases[0];
  const granter = s.crypto_sign_seed_keypair(fixed(0xa8));
  const reader = s.crypto_box_seed_keypair(fixed(0x68));
  const readerKid = kidOf(s, reader.publicKey);
  const wk = sealWith(s, unhex(source.keyHex), reader.publicKey, fixed(0xe8));
  const signed = cat(enc(`panah/v1/grant/${source.id}/${readerKid}\n`), wk);
  const sig = s.crypto_sign_detached(signed, granter.privateKey);
  return {
    description: 'spec §10: sig = crypto_sign_detached(utf8("panah/v1/grant/" + envelopeId + "/" + kid + "\\n") || wk(80 raw bytes), granterSignSk); the grant opens envelope.json case 0 for the reader',
    envelope: source.envelope,
    keyHex: source.keyHex,
    granterSeedHex: hex(fixed(0xa8)),
    granterPkHex: hex(granter.publicKey),
    granterSkHex: hex(granter.privateKey),
    readerPkHex: hex(reader.publicKey),
    readerSkHex: hex(reader.privateKey),
    signedHex: hex(signed),
    grant: { envelopeId: source.id, kid: readerKid, wk: b64u(wk), by: kidOf(s, granter.publicKey), sig: b64u(sig) },
  };
}

function attachments(s: S): Vector {
  const key = fixed(0xb0);
  const body = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
  const TAG_MESSAGE = s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = s.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  // chunkSizes: plaintext bytes per push; the last push carries TAG_FINAL.
  // init_push draws the header at random; a pull state set up from a fixed header is the state
  // init_push would have made with it (libsodium's push and pull share one state), so push on it.
  let headerStart = 0xb8;
  const make = (size: number, chunkSizes: number[], note: string): Record<string, unknown> => {
    const plaintext = body(size);
    const header = fixed(headerStart++, s.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
    const state = s.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
    const parts: Uint8Array[] = [header];
    let offset = 0;
    chunkSizes.forEach((n, i) => {
      const tag = i === chunkSizes.length - 1 ? TAG_FINAL : TAG_MESSAGE;
      parts.push(s.crypto_secretstream_xchacha20poly1305_push(state, plaintext.subarray(offset, offset + n), null, tag));
      offset += n;
    });
    const blob = cat(...parts);
    return { note, size, chunkSizes, blobSize: blob.length, hash: b64u(s.crypto_generichash(32, plaintext, null)), blob: b64u(blob) };
  };
  return {
    description: 'spec §2: header(24, random; fixed here) || secretstream chunks of 65,536 plaintext bytes, the last (0..65,536 bytes) with TAG_FINAL; plaintext byte i = (7i + 3) mod 256; hash = b64u(crypto_generichash(32, plaintext))',
    keyHex: hex(key),
    cases: [
      make(0, [0], 'empty file: one empty FINAL chunk'),
      make(100, [100], 'one short FINAL chunk'),
      make(65536, [65536], 'exactly one full FINAL chunk (what our encryptor emits)'),
      make(65536, [65536, 0], 'a full chunk then an empty FINAL chunk (another valid writer)'),
      make(65537, [65536, 1], 'two chunks'),
    ],
  };
}

function directory(s: S): Vector {
  const root = s.crypto_sign_seed_keypair(fixed(0xc0));
  const caseworker = s.crypto_box_seed_keypair(fixed(0xc1));
  const recovery = s.crypto_box_seed_keypair(fixed(0xc2));
  const entry = (pk: Uint8Array, role: string, label: string): Record<string, string> => ({ kid: kidOf(s, pk), pk: b64u(pk), role, label });
  const payloadJson = JSON.stringify({
    v: 1,
    serial: 7,
    issuedAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-02-01T00:00:00.000Z',
    deploymentId: 'panah-test-deployment-1',
    root: kidOf(s, root.publicKey),
    intake: [entry(caseworker.publicKey, 'caseworker', 'Intake duty — Maryam'), entry(recovery.publicKey, 'recovery', 'Organisation recovery key')],
  });
  const p = enc(payloadJson);
  const sig = s.crypto_sign_detached(cat(enc('panah/v1/directory\n'), p), root.privateKey);
  return {
    description: 'spec §5: sig = crypto_sign_detached(utf8("panah/v1/directory\\n") || P, rootSk); P built with keys in spec order',
    rootSeedHex: hex(fixed(0xc0)),
    rootPkHex: hex(root.publicKey),
    rootSkHex: hex(root.privateKey),
    rootKid: kidOf(s, root.publicKey),
    intakePkHex: [hex(caseworker.publicKey), hex(recovery.publicKey)],
    payloadJson,
    validAt: '2026-01-15T12:00:00.000Z',
    document: { v: 1, payload: b64u(p), sig: b64u(sig) },
    withStaff: directoryWithStaff(s, root, payloadJson),
  };
}

/** spec §9: the same payload with a `staff` list after `intake` (the people who may speak to reporters). */
function directoryWithStaff(s: S, root: { privateKey: Uint8Array }, payloadJson: string): Record<string, unknown> {
  const mina = s.crypto_sign_seed_keypair(fixed(0xc3));
  const staff = [{ kid: kidOf(s, mina.publicKey), signPk: b64u(mina.publicKey), label: 'Caseworker Mina' }];
  const json = JSON.stringify({ ...(JSON.parse(payloadJson) as Record<string, unknown>), staff });
  const p = enc(json);
  const sig = s.crypto_sign_detached(cat(enc('panah/v1/directory\n'), p), root.privateKey);
  return {
    staffSignSeedHex: hex(fixed(0xc3)),
    staffSignPkHex: [hex(mina.publicKey)],
    staffLabels: ['Caseworker Mina'],
    payloadJson: json,
    document: { v: 1, payload: b64u(p), sig: b64u(sig) },
  };
}

function hints(s: S): Vector {
  const key = fixed(0xd0);
  const nonce = fixed(0xe0, 24);
  const reportId = '0b5f8c2e-7d1a-4c3b-9e6f-1a2b3c4d5e6f';
  const json = '{"country":"DE","severity":"high","language":"fa"}';
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(enc(json), enc(`panah/v1/hints/${reportId}`), null, nonce, key);
  return {
    description: 'spec §6 + libs/crypto stored format "v1.<keyId>.<b64u(nonce)>.<b64u(ct)>", ad = utf8("panah/v1/hints/" + reportId)',
    keyId: 'k2026a',
    keyHex: hex(key),
    reportId,
    json,
    nonceHex: hex(nonce),
    stored: `v1.k2026a.${b64u(nonce)}.${b64u(ct)}`,
  };
}

/** pwhash_str's encoding of crypto_pwhash(32, pw, salt, ops, mem, Argon2id) (libsodium's own format). */
function pwhashStr(s: S, pw: Uint8Array, salt: Uint8Array, ops: number, mem: number): string {
  const b64 = (b: Uint8Array): string => s.to_base64(b, s.base64_variants.ORIGINAL_NO_PADDING);
  const hash = s.crypto_pwhash(32, pw, salt, ops, mem, s.crypto_pwhash_ALG_ARGON2ID13);
  const str = `$argon2id$v=19$m=${mem / 1024},t=${ops},p=1$${b64(salt)}$${b64(hash)}`;
  if (!s.crypto_pwhash_str_verify(str, pw)) throw new Error('pwhash_str encoding is off');
  return str;
}

/** Every vector file's name and its text as committed (JSON, two-space indent, final newline). */
export async function vectorFiles(s: S): Promise<Record<string, string>> {
  await s.ready;
  sodium = s;
  const envelope = envelopes(s);
  const data: Record<string, Vector> = {
    'encoding.json': encoding(s),
    'reporter.json': reporter(s),
    'staff.json': staff(s),
    'envelope.json': envelope,
    'grant.json': grants(s, envelope),
    'attachment.json': attachments(s),
    'directory.json': directory(s),
    'hints.json': hints(s),
  };
  return Object.fromEntries(Object.entries(data).map(([name, v]) => [name, `${JSON.stringify(v, null, 2)}\n`]));
}
