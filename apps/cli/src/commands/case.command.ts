import { Command } from 'commander';
import { CliError, CliIo } from '../io';
import { apiBase, callApi, loadSession, sessionFilePath } from './staff-client';

interface CaseSummary {
  id: string;
  state: string;
  severity: string;
  reasons: string[];
  teamId: string | null;
  assigneeId: string | null;
  deadlineAt: string;
}

interface Common {
  api?: string;
  sessionFile?: string;
}

/**
 * `panah case …`: a caseworker's cases from the terminal (issue 15 point 8, first part): list,
 * acknowledge, resolve, assign. Reading, replying and notes (which decrypt and sign with the
 * staff key) are not here yet.
 */
export function registerCaseCommands(program: Command, io: CliIo): void {
  const cases = program
    .command('case')
    .description('work cases: list, acknowledge, resolve, assign (session from `panah staff login`)');
  const session = (opts: Common): { base: string; token: string } => {
    const saved = loadSession(sessionFilePath(io, opts.sessionFile));
    const token = io.env.PANAH_SESSION_TOKEN ?? saved?.token;
    if (!token) throw new CliError('not signed in: run `panah staff login` or set PANAH_SESSION_TOKEN');
    return { base: apiBase(io, opts.api ?? saved?.api), token };
  };
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
      const query = new URLSearchParams({
        limit: opts.limit,
        ...(opts.state ? { state: opts.state } : {}),
        ...(opts.severity ? { severity: opts.severity } : {}),
        ...(opts.reason ? { reason: opts.reason } : {}),
      });
      let cursor: string | null = null;
      let n = 0;
      do {
        if (cursor) query.set('cursor', cursor);
        const page: { items: CaseSummary[]; nextCursor: string | null } = await callApi(
          base,
          'GET',
          `/cases?${query}`,
          { token },
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
        const run = await callApi<{ id: string }>(
          base,
          'GET',
          `/escalations/by-case/${encodeURIComponent(caseId)}`,
          { token },
        );
        const after = await callApi<{ state: string }>(base, 'POST', `/escalations/${run.id}/${verb}`, {
          token,
        });
        io.out(`case ${caseId}: escalation ${after.state}`);
      });
  };
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
      const assigneeId =
        opts.to === 'me'
          ? (await callApi<{ staffId: string }>(base, 'GET', '/staff/me', { token })).staffId
          : opts.to;
      const c = await callApi<CaseSummary>(base, 'POST', `/cases/${encodeURIComponent(caseId)}/assign`, {
        token,
        body: { assigneeId },
      });
      io.out(line(c));
    });
}
