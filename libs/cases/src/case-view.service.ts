import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { fromUtf8, type HintsCipher } from '@panah/crypto';
import { canSeeCase, DomainError, ErrorCode, StaffRole } from '@panah/domain';
import { HINTS_CIPHER } from '@panah/intake';
import { CaseQueryService } from './case-query.service';

export interface CaseReportView {
  readonly id: string;
  /** Still the sealed envelope: only its recipients' devices open it (G1). */
  readonly envelope: unknown;
  /** The reporter's triage hints, decrypted for staff of the case's team only. */
  readonly hints: unknown;
  readonly receivedAt: string;
}

/**
 * One case for a staff member of its team: its reports as sealed envelopes plus their triage
 * hints. Anyone else gets the same 404 as for a case that does not exist, and every read is
 * written to the audit log (G6).
 */
@Injectable()
export class CaseViewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(HINTS_CIPHER) private readonly hintsCipher: HintsCipher,
    private readonly cases: CaseQueryService,
    private readonly audit: AuditLog,
  ) {}

  async view(
    caseId: string,
    viewer: { staffId: string; role: StaffRole },
  ): Promise<{ id: string; teamId: string | null; reports: CaseReportView[] }> {
    const notFound = new DomainError(ErrorCode.NotFound, 'No such case', [], 'case/not_found');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(caseId)) throw notFound;
    const found = await this.cases.caseWithReports(caseId);
    if (!found) throw notFound;
    const teamIds = await this.cases.teamIdsOf(viewer.staffId);
    if (
      !canSeeCase(
        { staffId: viewer.staffId, role: viewer.role, teamIds },
        { teamId: found.teamId, assigneeIds: found.assigneeId ? [found.assigneeId] : [] },
      )
    )
      throw notFound;
    await this.dataSource.transaction((manager) =>
      this.audit.append(manager, {
        actorType: 'staff',
        actorId: viewer.staffId,
        action: 'case.viewed',
        targetType: 'case',
        targetId: caseId,
      }),
    );
    return {
      id: caseId,
      teamId: found.teamId,
      reports: found.reports.map((r) => ({
        id: r.id,
        envelope: r.envelope,
        hints:
          r.hints === null
            ? null
            : (JSON.parse(fromUtf8(this.hintsCipher.decrypt(r.id, r.hints))) as unknown),
        receivedAt: r.receivedAt,
      })),
    };
  }
}
