import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CaseState, Severity } from '@panah/domain';

export interface CaseListFilter {
  readonly state?: CaseState;
  readonly severity?: Severity;
  readonly teamId?: string;
  /** Only cases due before this time. */
  readonly deadlineBefore?: Date;
  /** Last case id of the previous page. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface CaseListItem {
  readonly id: string;
  readonly state: CaseState;
  readonly severity: Severity;
  readonly teamId: string | null;
  readonly policyId: string | null;
  readonly deadlineAt: string;
  readonly reasons: string[];
  readonly openedAt: string;
  readonly reportCount: number;
}

interface Row {
  id: string;
  state: CaseState;
  severity: Severity;
  team_id: string | null;
  policy_id: string | null;
  deadline_at: Date;
  reasons: string[];
  opened_at: Date;
  report_count: number;
}

/**
 * The supervisor's case list: only cases of the viewer's teams, most urgent deadline first,
 * keyset-paginated on (deadline_at, id) (index cases_team_idx / cases_list_idx).
 */
@Injectable()
export class CaseQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async teamIdsOf(staffId: string): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT team_id FROM staff_teams WHERE staff_id = $1`, [staffId])) as { team_id: string }[];
    return rows.map((r) => r.team_id);
  }

  async listForTeams(teamIds: readonly string[], f: CaseListFilter): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    const teams = f.teamId ? teamIds.filter((t) => t === f.teamId) : [...teamIds];
    if (teams.length === 0) return { items: [], nextCursor: null };
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.state, c.severity, c.team_id, c.policy_id, c.deadline_at, c.reasons, c.opened_at,
              (SELECT count(*)::int FROM reports r WHERE r.case_id = c.id) AS report_count
         FROM cases c
        WHERE c.team_id = ANY($1::uuid[])
          AND ($2::text IS NULL OR c.state = $2)
          AND ($3::text IS NULL OR c.severity = $3)
          AND ($4::timestamptz IS NULL OR c.deadline_at < $4)
          AND ($5::uuid IS NULL OR (c.deadline_at, c.id) > (SELECT deadline_at, id FROM cases WHERE id = $5::uuid))
        ORDER BY c.deadline_at, c.id
        LIMIT $6`,
      [teams, f.state ?? null, f.severity ?? null, f.deadlineBefore ?? null, f.cursor ?? null, f.limit + 1],
    )) as Row[];
    const page = rows.slice(0, f.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        state: r.state,
        severity: r.severity,
        teamId: r.team_id,
        policyId: r.policy_id,
        deadlineAt: r.deadline_at.toISOString(),
        reasons: r.reasons,
        openedAt: r.opened_at.toISOString(),
        reportCount: r.report_count,
      })),
      nextCursor: rows.length > f.limit ? page[page.length - 1].id : null,
    };
  }

  /** A case and its reports (envelopes stay sealed), or null if it does not exist. */
  async caseWithReports(caseId: string): Promise<{ teamId: string | null; reports: { id: string; envelope: unknown; hints: string | null; receivedAt: string }[] } | null> {
    const c = (await this.dataSource.query(`SELECT team_id FROM cases WHERE id = $1`, [caseId])) as { team_id: string | null }[];
    if (!c[0]) return null;
    const reports = (await this.dataSource.query(`SELECT id, envelope, hints, received_at FROM reports WHERE case_id = $1 ORDER BY received_at, id`, [caseId])) as {
      id: string;
      envelope: unknown;
      hints: string | null;
      received_at: Date;
    }[];
    return { teamId: c[0].team_id, reports: reports.map((r) => ({ id: r.id, envelope: r.envelope, hints: r.hints, receivedAt: r.received_at.toISOString() })) };
  }
}
