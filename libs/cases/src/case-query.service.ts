import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CaseState, Severity } from '@panah/domain';
import { StaffTeamRepository } from '@panah/identity';
import { ReportRepository } from '@panah/intake';
import { CaseRepository, type CaseListFilter } from './case.repository';

export type { CaseListFilter } from './case.repository';

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

/** A case with its timeline (so far: its reports, envelopes still sealed). */
export interface CaseWithTimeline {
  readonly teamId: string | null;
  readonly assigneeId: string | null;
  readonly reports: { id: string; envelope: unknown; hints: string | null; receivedAt: string }[];
}

/**
 * The supervisor's case list: only cases of the viewer's teams, most urgent deadline first,
 * keyset-paginated on (deadline_at, id) (index cases_team_idx / cases_list_idx); and one case
 * with its timeline.
 */
@Injectable()
export class CaseQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly reports: ReportRepository,
    private readonly staffTeams: StaffTeamRepository,
  ) {}

  teamIdsOf(staffId: string): Promise<string[]> {
    return this.staffTeams.teamIdsOf(this.dataSource.manager, staffId);
  }

  async listForTeams(
    teamIds: readonly string[],
    f: CaseListFilter,
  ): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    const teams = f.teamId ? teamIds.filter((t) => t === f.teamId) : [...teamIds];
    if (teams.length === 0) return { items: [], nextCursor: null };
    const m = this.dataSource.manager;
    const rows = await this.cases.listForStaff(m, { teamIds: teams, assigneeId: null }, f);
    const page = rows.slice(0, f.limit);
    const counts = await this.reports.countForCases(
      m,
      page.map((r) => r.id),
    );
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
        reportCount: counts.get(r.id) ?? 0,
      })),
      nextCursor: rows.length > f.limit ? page[page.length - 1].id : null,
    };
  }

  /** A case and its reports (envelopes stay sealed), or null if it does not exist. */
  async caseWithReports(caseId: string): Promise<CaseWithTimeline | null> {
    const m = this.dataSource.manager;
    const c = await this.cases.access(m, caseId);
    if (!c) return null;
    const reports = await this.reports.listForCase(m, caseId);
    return {
      teamId: c.team_id,
      assigneeId: c.assignee_id,
      reports: reports.map((r) => ({
        id: r.id,
        envelope: r.envelope,
        hints: r.hints,
        receivedAt: r.received_at.toISOString(),
      })),
    };
  }
}
