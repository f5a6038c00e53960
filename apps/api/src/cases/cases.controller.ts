import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, type Principal } from '@panah/domain';
import { CaseQueryService, CaseViewService, type CaseListItem } from '@panah/cases';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import { CaseListQueryDto } from './dto';

function staffOf(principal: Principal | null): Extract<Principal, { kind: 'staff' }> {
  if (principal?.kind !== 'staff') throw new DomainError(ErrorCode.Unauthenticated, 'A staff session is required');
  return principal;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CaseQueryService,
    private readonly views: CaseViewService,
  ) {}

  /** The supervisor's view: cases of their teams by status, severity, team and deadline (keyset pages). */
  @Get()
  @StaffOnly('supervisor')
  async list(@Query() q: CaseListQueryDto, @CurrentPrincipal() principal: Principal | null): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    const staff = staffOf(principal);
    const teams = await this.cases.teamIdsOf(staff.staffId);
    return this.cases.listForTeams(teams, {
      state: q.state,
      severity: q.severity,
      teamId: q.teamId,
      deadlineBefore: q.deadlineBefore ? new Date(q.deadlineBefore) : undefined,
      cursor: q.cursor,
      limit: q.limit ?? 50,
    });
  }

  /** One case with its sealed reports and their hints, for staff of its team only. */
  @Get(':id')
  @StaffOnly('supervisor', 'caseworker')
  view(@Param('id') id: string, @CurrentPrincipal() principal: Principal | null): ReturnType<CaseViewService['view']> {
    const staff = staffOf(principal);
    return this.views.view(id, { staffId: staff.staffId, role: staff.role });
  }
}
