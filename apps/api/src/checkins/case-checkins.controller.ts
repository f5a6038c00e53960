import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CheckinHistoryService } from '@panah/checkins';
import { DomainError, ErrorCode, type Principal } from '@panah/domain';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import { HistoryQueryDto } from './dto';

/** Caseworkers: the check-in history (times and outcomes only) of a case's reporter. */
@ApiTags('check-ins')
@ApiBearerAuth()
@Controller('cases')
export class CaseCheckinsController {
  constructor(private readonly history: CheckinHistoryService) {}

  @Get(':id/checkins')
  @StaffOnly('supervisor', 'caseworker')
  list(
    @Param('id') id: string,
    @Query() query: HistoryQueryDto,
    @CurrentPrincipal() principal: Principal | null,
  ): ReturnType<CheckinHistoryService['forCase']> {
    if (principal?.kind !== 'staff')
      throw new DomainError(ErrorCode.Unauthenticated, 'A staff session is required');
    return this.history.forCase(
      { staffId: principal.staffId, role: principal.role },
      id,
      query.limit ?? 50,
      query.cursor,
    );
  }
}
