import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaseRepository } from '@panah/cases';
import { canSeeCase, DomainError, ErrorCode, type StaffRole } from '@panah/domain';
import { StaffTeamRepository } from '@panah/identity';
import { CheckinRepository } from './checkin.repository';
import { CheckinReason } from './errors';
import { SafetyEventRepository } from './safety-event.repository';

export interface CheckinHistoryItem {
  readonly id: string;
  readonly at: string;
  /** on_time, late, after_alert, recorded, or duress (signed with the duress key or from a duress session). */
  readonly outcome: string;
  /** A `checkin` envelope exists; its content is only for the caseworker's device. */
  readonly hasNote: boolean;
}

export interface CaseSafetyItem {
  readonly kind: string;
  readonly at: string;
}

/**
 * What caseworkers see of a reporter's check-ins: times and outcomes, for reporters of cases
 * they can see (G6), newest first with keyset paging. Never a location: that exists only inside
 * the encrypted note, if the reporter wrote one.
 */
@Injectable()
export class CheckinHistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly staffTeams: StaffTeamRepository,
    private readonly checkins: CheckinRepository,
    private readonly safetyEvents: SafetyEventRepository,
  ) {}

  async forCase(
    viewer: { staffId: string; role: StaffRole },
    caseId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ checkins: CheckinHistoryItem[]; events: CaseSafetyItem[]; nextCursor: string | null }> {
    const reporterId = await this.visibleReporter(viewer, caseId);
    const after = cursor === undefined ? null : decodeCursor(cursor);
    const rows = await this.checkins.pageForReporter(this.dataSource.manager, reporterId, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const events = await this.safetyEvents.latestForCase(this.dataSource.manager, caseId, 200);
    return {
      checkins: page.map((r) => ({
        id: r.id,
        at: r.checked_in_at.toISOString(),
        outcome: r.outcome,
        hasNote: r.has_note,
      })),
      events: events.map((e) => ({ kind: e.kind, at: e.occurred_at.toISOString() })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.checked_in_at, last.id) : null,
    };
  }

  /** The case's reporter if the viewer may see the case; otherwise "not found", like a missing case. */
  private async visibleReporter(
    viewer: { staffId: string; role: StaffRole },
    caseId: string,
  ): Promise<string> {
    const notFound = new DomainError(ErrorCode.NotFound, 'No such case', [], CheckinReason.CaseNotFound);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(caseId)) throw notFound;
    const c = await this.cases.access(this.dataSource.manager, caseId);
    if (!c) throw notFound;
    const teamIds = await this.staffTeams.teamIdsOf(this.dataSource.manager, viewer.staffId);
    const visible = canSeeCase(
      { staffId: viewer.staffId, role: viewer.role, teamIds },
      { teamId: c.team_id, assigneeIds: c.assignee_id ? [c.assignee_id] : [] },
    );
    if (!visible) throw notFound;
    return c.reporter_id;
  }
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new DomainError(ErrorCode.ValidationFailed, 'Invalid cursor', [
      { path: 'cursor', message: 'is not a cursor from this list' },
    ]);
  }
  return { at, id };
}
