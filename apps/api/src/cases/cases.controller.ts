import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CaseDetail, type CaseSummary, CaseTimelineService } from '@panah/casework';
import { DomainError, ErrorCode, type Principal } from '@panah/domain';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import { CaseDetailDto, CaseListDto, CaseListQueryDto } from './dto';

function staffOf(principal: Principal | null): Extract<Principal, { kind: 'staff' }> {
  if (principal?.kind !== 'staff')
    throw new DomainError(ErrorCode.Unauthenticated, 'A staff session is required');
  return principal;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CaseTimelineService) {}

  /** Caseworkers: cases of their teams and those assigned to them; supervisors: cases of their teams (and assigned to them). Keyset pages. */
  @Get()
  @StaffOnly('supervisor', 'caseworker')
  @ApiOperation({
    summary:
      'the cases you work: filter by state, severity, reason, assignee, team, deadline; most urgent deadline first',
  })
  @ApiOkResponse({ type: CaseListDto })
  list(
    @Query() q: CaseListQueryDto,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
    const staff = staffOf(principal);
    return this.cases.list(
      { staffId: staff.staffId, role: staff.role },
      {
        state: q.state,
        severity: q.severity,
        teamId: q.teamId,
        reason: q.reason,
        assigneeId: q.assigneeId,
        deadlineBefore: q.deadlineBefore ? new Date(q.deadlineBefore) : undefined,
        cursor: q.cursor,
        limit: q.limit ?? 50,
      },
    );
  }

  /** One case with its timeline, for staff who can read it (audited); anyone else gets a 404. */
  @Get(':id')
  @StaffOnly('supervisor', 'caseworker')
  @ApiOperation({
    summary:
      'one case: severity, state, reasons, team, assignee, deadline, acknowledgement, and its timeline (audited)',
  })
  @ApiOkResponse({ type: CaseDetailDto })
  @ApiNotFoundResponse({ description: 'case/not_found' })
  view(@Param('id') id: string, @CurrentPrincipal() principal: Principal | null): Promise<CaseDetail> {
    const staff = staffOf(principal);
    return this.cases.view(id, { staffId: staff.staffId, role: staff.role });
  }
}
