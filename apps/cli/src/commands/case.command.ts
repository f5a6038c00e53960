import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  attachmentHash,
  bytesEqual,
  cryptoReady,
  decryptAttachment,
  deriveStaffKeys,
  fromB64u,
  fromUtf8,
  openEnvelopeWithGrants,
  openStaffSecret,
  sealEnvelope,
  verifyAuthor,
  type Grant,
  type StaffKeyPairs,
} from '@panah/crypto';
import { CliError, CliIo } from '../io';
import { STAFF_PASSWORD_ENV } from './keys.command';
import type { ApiClient, paths } from '@panah/api-client';
import { answer, apiBase, apiClient, ApiRefusal, loadSession, sessionFilePath } from './staff-client';

interface CaseSummary {
  id: string;
  state: string;
  severity: string;
  reasons: string[];
  teamId: string | null;
  assigneeId: string | null;
  deadlineAt: string;
}

interface StaffKey {
  staffId: string;
  label: string;
  signKid: string;
  signPk: string;
}

type TimelineEntry = { at: string; type: string } & Record<string, unknown>;

interface CaseDetail extends CaseSummary {
  reporter: {
    id: string;
    boxKid: string | null;
    boxPk: string | null;
    signKeys: { kid: string; signPk: string }[];
  };
  grants: Grant[];
  timeline: TimelineEntry[];
}

const authorKidOf = (envelope: unknown): string | null =>
  (envelope as { author?: { kid?: string } } | null)?.author?.kid ?? null;

/** The human text of a decrypted plaintext: the report narrative, a message's text, or the raw text. */
function bodyText(raw: string): string {
  try {
    const json = JSON.parse(raw) as Record<string, unknown>;
    if (json && typeof json === 'object')
      for (const k of ['narrative', 'text', 'body', 'message', 'note'])
        if (typeof json[k] === 'string') return json[k] as string;
  } catch {
    // plain text
  }
  return raw;
}

/**
 * The signed-in staff member's own key pairs, opened here as the console opens them (crypto-v1
 * §4): the password (PANAH_STAFF_PASSWORD or a prompt) and the kdfSalt derive encKey, which opens
 * the protected secret from GET /v1/staff/me. Nothing derived leaves this process.
 */
export async function unlockStaffKeys(
  io: CliIo,
  base: string,
  token: string,
): Promise<{ staffId: string; keys: StaffKeyPairs }> {
  const me = await answer(apiClient(base, token).GET('/v1/staff/me'));
  const pw = await io.readSecret('Staff password', STAFF_PASSWORD_ENV);
  await cryptoReady();
  const { authKey, encKey } = deriveStaffKeys(pw, fromB64u(me.kdfSalt, 'kdfSalt'));
  authKey.fill(0);
  try {
    return { staffId: me.staffId, keys: openStaffSecret(me.protectedSecret, me.staffId, encKey) };
  } catch {
    throw new CliError('cannot open your staff key: wrong password?');
  } finally {
    encKey.fill(0);
  }
}

/** The query GET /v1/cases takes (filters and paging). */
type CaseQuery = NonNullable<paths['/v1/cases']['get']['parameters']['query']>;

/** A case with its grants and timeline (GET /v1/cases/{id}). */
async function caseDetail(api: ApiClient, id: string): Promise<CaseDetail> {
  return answer(api.GET('/v1/cases/{id}', { params: { path: { id } } }));
}

/** The signed-in staff session (`panah staff login`'s file, or PANAH_SESSION_TOKEN) and its API. */
export function staffSession(io: CliIo, opts: Common): { base: string; token: string } {
  const saved = loadSession(sessionFilePath(io, opts.sessionFile));
  const token = io.env.PANAH_SESSION_TOKEN ?? saved?.token;
  if (!token) throw new CliError('not signed in: run `panah staff login` or set PANAH_SESSION_TOKEN');
  return { base: apiBase(io, opts.api ?? saved?.api), token };
}

const wipeKeys = (keys: StaffKeyPairs): void => {
  keys.boxKeyPair.privateKey.fill(0);
  keys.signKeyPair.privateKey.fill(0);
};

export interface Common {
  api?: string;
  sessionFile?: string;
}

/**
 * `panah case …`: a caseworker's cases from the terminal (issue 15 point 8): list, show (decrypted
 * here with the staff key), acknowledge, resolve, assign.
 */
export function registerCaseCommands(program: Command, io: CliIo): void {
  const cases = program
    .command('case')
    .description('work cases: list, acknowledge, resolve, assign (session from `panah staff login`)');
  const session = (opts: Common) => staffSession(io, opts);
  const withCommon = (c: Command): Command =>
    c
      .option('--api <url>', 'API base URL (default: the one you signed in to)')
      .option('--session-file <path>', 'session file (default PANAH_SESSION_FILE or ~/.panah/session.json)');
  const line = (c: CaseSummary): string =>
    `${c.id}  ${c.severity.padEnd(8)} ${c.state.padEnd(12)} due ${c.deadlineAt}  ${c.reasons.join(',')}${c.assigneeId ? `  assigned ${c.assigneeId}` : ''}`;

  withCommon(cases.command('list').description('your cases, most urgent deadline first'))
    .option('--state <state>', 'open, acknowledged or resolved')
    .option('--severity <severity>', 'low, medium, high or critical')
    .option('--reason <reason>', 'a reason code (report, panic, missed_checkin, …)')
    .option('--limit <n>', 'cases per page', '50')
    .action(async (opts: Common & { state?: string; severity?: string; reason?: string; limit: string }) => {
      const { base, token } = session(opts);
      const api = apiClient(base, token);
      // The filters go as given: the API names a state or severity it does not know.
      const query: CaseQuery = {
        limit: Number(opts.limit),
        ...(opts.state ? { state: opts.state as CaseQuery['state'] } : {}),
        ...(opts.severity ? { severity: opts.severity as CaseQuery['severity'] } : {}),
        ...(opts.reason ? { reason: opts.reason } : {}),
      };
      let cursor: string | null = null;
      let n = 0;
      do {
        if (cursor) query.cursor = cursor;
        const page: { items: CaseSummary[]; nextCursor: string | null } = await answer(
          api.GET('/v1/cases', { params: { query } }),
        );
        for (const c of page.items) io.out(line(c));
        n += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      if (n === 0) io.out('no cases');
    });

  const escalate = (verb: 'acknowledge' | 'resolve'): void => {
    withCommon(
      cases.command(verb === 'acknowledge' ? 'ack' : 'resolve').description(`${verb} the case's escalation`),
    )
      .argument('<caseId>')
      .action(async (caseId: string, opts: Common) => {
        const { base, token } = session(opts);
        const api = apiClient(base, token);
        const run = await answer(
          api.GET('/v1/escalations/by-case/{caseId}', { params: { path: { caseId } } }),
        );
        const after = await answer(
          api.POST(`/v1/escalations/{id}/${verb}`, { params: { path: { id: run.id } } }),
        );
        io.out(`case ${caseId}: escalation ${after.state}`);
      });
  };
  withCommon(
    cases
      .command('show')
      .description(
        `a case and its timeline, decrypted here with your staff key (password from ${STAFF_PASSWORD_ENV} or a prompt)`,
      ),
  )
    .argument('<caseId>')
    .action(async (caseId: string, opts: Common) => {
      const { base, token } = session(opts);
      const api = apiClient(base, token);
      const detail = await caseDetail(api, caseId);
      const { keys } = await unlockStaffKeys(io, base, token);
      try {
        // Staff authors and granters by sign kid (an offboarded colleague still signed what they wrote).
        const staffKeys = new Map<string, StaffKey | null>();
        const staffKey = async (kid: string | null): Promise<StaffKey | null> => {
          if (!kid) return null;
          if (!staffKeys.has(kid)) {
            try {
              staffKeys.set(
                kid,
                await answer(api.GET('/v1/keys/staff/{kid}', { params: { path: { kid } } })),
              );
            } catch (error) {
              if (!(error instanceof ApiRefusal) || error.status !== 404) throw error;
              staffKeys.set(kid, null);
            }
          }
          return staffKeys.get(kid) ?? null;
        };
        for (const g of detail.grants ?? []) await staffKey(g.by);
        const reporterKeys = new Map(detail.reporter.signKeys.map((k) => [k.kid, k.signPk]));
        io.out(`case ${detail.id}`);
        io.out(`severity: ${detail.severity}`);
        io.out(`state: ${detail.state}`);
        io.out(`reasons: ${detail.reasons.join(', ') || '(none)'}`);
        io.out(`deadline: ${detail.deadlineAt ?? '(none)'}`);
        if (detail.assigneeId) io.out(`assignee: ${detail.assigneeId}`);
        for (const e of detail.timeline) {
          if (e.type !== 'report' && e.type !== 'message' && e.type !== 'note') {
            const { at, type, ...rest } = e;
            io.out(`--- ${at} ${type} ${JSON.stringify(rest)}`);
            continue;
          }
          const fromReporter = e.type === 'report' || e.from === 'reporter';
          const kid = authorKidOf(e.envelope);
          let author = 'reporter';
          let signPk: string | null = null;
          if (fromReporter) signPk = reporterKeys.get(kid ?? '') ?? null;
          else {
            const k = await staffKey(kid);
            author = k ? `staff ${k.label} (${k.staffId})` : 'staff (unknown key)';
            signPk = k?.signPk ?? null;
          }
          const id = (e.reportId ?? e.messageId ?? e.noteId) as string;
          let verification = 'UNVERIFIED (author key unknown)';
          if (signPk) {
            try {
              verifyAuthor(e.envelope, fromB64u(signPk, 'signPk'));
              verification = 'verified';
            } catch {
              verification = 'BAD SIGNATURE';
            }
          }
          io.out(`--- ${e.at} ${e.type} ${id} from ${author}: signature ${verification}`);
          if (verification === 'BAD SIGNATURE') {
            io.out('  (content hidden: the signature does not verify)');
            continue;
          }
          let plain: Uint8Array;
          try {
            plain = openEnvelopeWithGrants(e.envelope, keys.boxKeyPair, detail.grants ?? [], (k) => {
              const s = staffKeys.get(k);
              return s ? fromB64u(s.signPk, 'signPk') : undefined;
            });
          } catch {
            io.out('  (not readable with your key)');
            continue;
          }
          const raw = fromUtf8(plain, 'plaintext');
          plain.fill(0);
          for (const l of bodyText(raw).split('\n')) io.out(`  ${l}`);
          if (e.type === 'report') {
            try {
              const atts = (JSON.parse(raw) as { attachments?: unknown }).attachments;
              if (Array.isArray(atts))
                for (const a of atts as { id?: string; name?: string; size?: number }[])
                  io.out(`  attachment ${a.id} ${a.name ?? ''} (${a.size ?? '?'} bytes)`);
            } catch {
              // not JSON: no attachments
            }
          }
        }
      } finally {
        wipeKeys(keys);
      }
    });

  const compose = (kind: 'message' | 'note'): void => {
    withCommon(
      cases
        .command(kind === 'message' ? 'reply' : 'note')
        .description(
          kind === 'message'
            ? 'reply to the reporter (text from stdin), sealed here and signed with your staff key'
            : 'add a case note for the staff of the case (text from stdin), sealed here and signed',
        ),
    )
      .argument('<caseId>')
      .action(async (caseId: string, opts: Common) => {
        const { base, token } = session(opts);
        const api = apiClient(base, token);
        const path = { id: caseId };
        const text = (await io.readInput()).replace(/\s+$/, '');
        if (!text.trim()) throw new CliError(`the ${kind} is empty: write it on standard input`);
        const recipients = await answer(api.GET('/v1/cases/{id}/recipients', { params: { path } }));
        const refs: { kid: string; pk: string }[] = [...recipients[kind]];
        if (kind === 'message') {
          // The reporter must be able to read the reply: add their box key if the list lacks it.
          const detail = await caseDetail(api, caseId);
          const { boxKid, boxPk } = detail.reporter;
          if (boxPk && boxKid && !refs.some((r) => r.kid === boxKid))
            refs.unshift({ kid: boxKid, pk: boxPk });
        }
        const { keys } = await unlockStaffKeys(io, base, token);
        const id = randomUUID();
        let envelope;
        try {
          envelope = sealEnvelope({
            kind,
            id,
            plaintext: JSON.stringify({ schema: `panah/${kind}/v1`, text }),
            recipientPublicKeys: refs.map((r) => fromB64u(r.pk, 'pk')),
            authorSignSecretKey: keys.signKeyPair.privateKey,
          });
        } finally {
          wipeKeys(keys);
        }
        // The document's envelope type has mutable arrays; the bytes sent are the same.
        const body = { envelope: { ...envelope, recipients: [...envelope.recipients] } };
        if (kind === 'message')
          await answer(
            api.PUT('/v1/cases/{id}/messages/{messageId}', {
              params: { path: { ...path, messageId: id } },
              body,
            }),
          );
        else
          await answer(
            api.PUT('/v1/cases/{id}/notes/{noteId}', { params: { path: { ...path, noteId: id } }, body }),
          );
        io.out(`${kind} ${id} added to case ${caseId} (sealed to ${refs.length} keys)`);
      });
  };
  compose('message');
  compose('note');

  withCommon(
    cases
      .command('attachment')
      .description(
        "download a report's attachment, decrypt it here, check its hash and write it (owner-only, never overwriting)",
      ),
  )
    .argument('<caseId>')
    .argument('<attachmentId>')
    .requiredOption('-o, --output <file>', 'where to write the decrypted file (must not exist)')
    .action(async (caseId: string, attachmentId: string, opts: Common & { output: string }) => {
      const { base, token } = session(opts);
      if (existsSync(opts.output)) throw new CliError(`${opts.output} exists: not overwriting it`);
      const api = apiClient(base, token);
      const detail = await caseDetail(api, caseId);
      const { keys } = await unlockStaffKeys(io, base, token);
      // The reference (key and hash) travels only inside a report the reporter signed (spec §2).
      let ref: { key: string; hash: string } | null = null;
      try {
        const reporterKeys = new Map(detail.reporter.signKeys.map((k) => [k.kid, k.signPk]));
        for (const e of detail.timeline) {
          if (e.type !== 'report' || ref) continue;
          const signPk = reporterKeys.get(authorKidOf(e.envelope) ?? '');
          if (!signPk) continue;
          let raw: string;
          try {
            verifyAuthor(e.envelope, fromB64u(signPk, 'signPk'));
            const plain = openEnvelopeWithGrants(
              e.envelope,
              keys.boxKeyPair,
              detail.grants ?? [],
              () => undefined,
            );
            raw = fromUtf8(plain, 'plaintext');
            plain.fill(0);
          } catch {
            continue;
          }
          try {
            const atts = (JSON.parse(raw) as { attachments?: unknown }).attachments;
            if (Array.isArray(atts))
              ref =
                (atts as { id?: unknown; key?: unknown; hash?: unknown }[])
                  .filter(
                    (a) => a.id === attachmentId && typeof a.key === 'string' && typeof a.hash === 'string',
                  )
                  .map((a) => ({ key: a.key as string, hash: a.hash as string }))[0] ?? null;
          } catch {
            // not JSON: no attachments
          }
        }
      } finally {
        wipeKeys(keys);
      }
      if (!ref)
        throw new CliError(
          `no report of case ${caseId} that you can read references attachment ${attachmentId}`,
        );
      // The ciphertext bytes, through the typed client too (read as bytes, not JSON).
      const download = await api.GET('/v1/cases/{id}/attachments/{attachmentId}', {
        params: { path: { id: caseId, attachmentId } },
        parseAs: 'arrayBuffer',
      });
      if (!download.response.ok || !download.data)
        throw new CliError(`${download.response.status} downloading attachment ${attachmentId}`);
      const blob = new Uint8Array(download.data);
      const key = fromB64u(ref.key, 'key');
      let plain: Uint8Array;
      try {
        plain = decryptAttachment(blob, key);
      } catch {
        throw new CliError('the attachment does not decrypt with the key in the report: not written');
      } finally {
        key.fill(0);
      }
      if (!bytesEqual(attachmentHash(plain), fromB64u(ref.hash, 'hash'))) {
        plain.fill(0);
        throw new CliError("the attachment's hash does not match the report's: not written");
      }
      try {
        writeFileSync(opts.output, plain, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as { code?: string }).code === 'EEXIST')
          throw new CliError(`${opts.output} exists: not overwriting it`);
        throw error;
      } finally {
        plain.fill(0);
      }
      io.out(`wrote ${opts.output} (${blob.length} encrypted bytes, hash checked)`);
    });

  escalate('acknowledge');
  escalate('resolve');

  withCommon(
    cases
      .command('assign')
      .description('assign a case (supervisors; a caseworker who acknowledged it, to themselves)'),
  )
    .argument('<caseId>')
    .requiredOption('--to <staffId>', 'the assignee ("me" for yourself)')
    .action(async (caseId: string, opts: Common & { to: string }) => {
      const { base, token } = session(opts);
      const api = apiClient(base, token);
      const assigneeId = opts.to === 'me' ? (await answer(api.GET('/v1/staff/me'))).staffId : opts.to;
      const c = await answer(
        api.POST('/v1/cases/{id}/assign', { params: { path: { id: caseId } }, body: { assigneeId } }),
      );
      io.out(line(c));
    });
}
