import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CheckinService,
  type CheckinView,
  PanicService,
  type PanicView,
  type PlanView,
  type ReporterRef,
} from '@panah/checkins';
import { DomainError, ErrorCode, type Principal } from '@panah/domain';
import { CurrentPrincipal, ReporterOnly } from '@panah/security';
import { CheckinDto, CheckinPlanDto, LimitQueryDto, PausePlanDto, SignedSignalDto } from './dto';
import { ApiErrors } from '../http/api-errors';

function reporterOf(principal: Principal | null): ReporterRef {
  // The guard already enforced ReporterOnly; this narrows the type.
  if (principal?.kind !== 'reporter')
    throw new DomainError(ErrorCode.Unauthenticated, 'A reporter session is required');
  return { reporterId: principal.reporterId, sessionId: principal.sessionId };
}

/**
 * The reporter's safety controls. Whatever the session (normal or duress), every endpoint
 * answers with the same fields and statuses: a coercer watching the screen learns nothing.
 */
@ApiTags('check-ins')
@ApiBearerAuth()
@ReporterOnly()
@Controller()
export class CheckinsController {
  constructor(
    private readonly checkins: CheckinService,
    private readonly panics: PanicService,
  ) {}

  @Get('checkins/plan')
  getPlan(@CurrentPrincipal() principal: Principal | null): Promise<PlanView> {
    return this.checkins.getPlan(reporterOf(principal));
  }

  /** Creates (201) or replaces (200) the plan; a new schedule or time zone counts from now. */
  @Put('checkins/plan')
  @ApiErrors({
    400: [
      'request/validation_failed: `checkin/bad_plan`, the plan is malformed (each problem named in `fields`)',
    ],
  })
  async putPlan(
    @Body() body: CheckinPlanDto,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlanView> {
    const result = await this.checkins.putPlan(reporterOf(principal), { ...body });
    res.status(result.created ? 201 : 200);
    return result.plan;
  }

  @Post('checkins/plan/pause')
  @ApiErrors({
    400: ['request/validation_failed: `checkin/bad_pause`, the pause is malformed or too long'],
    404: ['request/not_found: `checkin/no_plan`, this reporter has no check-in plan'],
  })
  @HttpCode(200)
  pause(@Body() body: PausePlanDto, @CurrentPrincipal() principal: Principal | null): Promise<PlanView> {
    return this.checkins.pause(reporterOf(principal), body.until);
  }

  @Post('checkins/plan/resume')
  @ApiErrors({
    404: ['request/not_found: `checkin/no_plan`, this reporter has no check-in plan'],
  })
  @HttpCode(200)
  resume(@CurrentPrincipal() principal: Principal | null): Promise<PlanView> {
    return this.checkins.resume(reporterOf(principal));
  }

  @ApiResponse({ status: 204, description: 'the plan is deleted' })
  @Delete('checkins/plan')
  @ApiErrors({
    404: ['request/not_found: `checkin/no_plan`, this reporter has no check-in plan'],
  })
  @HttpCode(204)
  async deletePlan(@CurrentPrincipal() principal: Principal | null): Promise<void> {
    await this.checkins.deletePlan(reporterOf(principal));
  }

  /** A signed check-in (201; 200 for a retry of the same id), optionally with an encrypted note. */
  @Post('checkins')
  @ApiErrors({
    400: [
      'request/validation_failed: `checkin/bad_signature`, the signed check-in does not verify; `checkin/stale_signature`, it was signed too long ago; `checkin/bad_envelope`, its envelope is malformed',
    ],
  })
  async checkIn(
    @Body() body: CheckinDto,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckinView> {
    const result = await this.checkins.checkIn(reporterOf(principal), body);
    res.status(result.created ? 201 : 200);
    return result.checkin;
  }

  /** Check-in reminders in this reporter's inbox, newest first. */
  @Get('checkins/reminders')
  reminders(
    @Query() query: LimitQueryDto,
    @CurrentPrincipal() principal: Principal | null,
  ): ReturnType<CheckinService['reminders']> {
    return this.checkins.reminders(reporterOf(principal), query.limit ?? 20);
  }

  /** Panic: a critical case at once. Presses within a short window are one emergency. */
  @Post('panic')
  @ApiErrors({
    400: [
      'request/validation_failed: `checkin/bad_signature`, the signed signal does not verify; `checkin/stale_signature`, it was signed too long ago; `checkin/bad_envelope`, its envelope is malformed',
    ],
  })
  async panic(
    @Body() body: SignedSignalDto,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PanicView> {
    const result = await this.panics.press(reporterOf(principal), body);
    res.status(result.created ? 201 : 200);
    return result.panic;
  }
}
