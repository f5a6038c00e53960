import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal, StaffRole, validationError } from '@panah/domain';
import { EscalationPolicies, OnCallSchedules, type PolicyView } from '@panah/escalation';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import { uuidParam } from '../identity/params';
import { staffOf } from '../identity/staff-principal';
import { CreatePolicyDto, OverrideDto, ScheduleDto, SimulateDto, UpdatePolicyDto } from './escalation.dto';
import { ApiErrors } from '../http/api-errors';

/** Escalation policies (versioned, audited) and their dry run, for admins. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/escalation-policies')
export class AdminEscalationPoliciesController {
  constructor(private readonly policies: EscalationPolicies) {}

  @Post()
  @ApiErrors({
    400: [
      'request/validation_failed: `escalation/policy_invalid`, the policy definition is malformed (each problem named in `fields`)',
    ],
  })
  @StaffOnly(StaffRole.Admin)
  create(@CurrentPrincipal() p: Principal | null, @Body() body: CreatePolicyDto): Promise<PolicyView> {
    return this.policies.create(body.name, body.definition, staffOf(p).staffId);
  }

  @Get()
  @StaffOnly(StaffRole.Admin, StaffRole.Supervisor)
  list(): Promise<PolicyView[]> {
    return this.policies.list();
  }

  @Get(':id')
  @StaffOnly(StaffRole.Admin, StaffRole.Supervisor)
  get(@Param('id', uuidParam('id')) id: string): Promise<PolicyView> {
    return this.policies.get(id);
  }

  @Put(':id')
  @StaffOnly(StaffRole.Admin)
  @ApiOperation({ summary: 'write a new version (running escalations keep the version they started with)' })
  update(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: UpdatePolicyDto,
  ): Promise<PolicyView> {
    return this.policies.update(id, body.definition, staffOf(p).staffId, body.expectedVersion);
  }

  @Post(':id/simulate')
  @StaffOnly(StaffRole.Admin, StaffRole.Supervisor)
  @ApiOperation({
    summary:
      'the exact timeline the engine would follow: who is notified when, through which channel, when it stops',
  })
  simulate(@Param('id', uuidParam('id')) id: string, @Body() body: SimulateDto) {
    return this.policies.simulate(id, {
      severity: body.severity,
      startAt: new Date(body.startAt),
      acknowledgements: body.acknowledgements.map((a) => ({ at: new Date(a.at), by: a.by })),
    });
  }
}

const MAX_AT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A team's on-call rotation and overrides, for admins and supervisors. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/teams/:teamId/on-call')
export class AdminOnCallController {
  constructor(private readonly schedules: OnCallSchedules) {}

  @Put()
  @StaffOnly(StaffRole.Admin, StaffRole.Supervisor)
  set(
    @CurrentPrincipal() p: Principal | null,
    @Param('teamId', uuidParam('teamId')) teamId: string,
    @Body() body: ScheduleDto,
  ): Promise<{ id: string }> {
    const s = staffOf(p);
    return this.schedules.set(teamId, body, { staffId: s.staffId, role: s.role });
  }

  @Post('overrides')
  @StaffOnly(StaffRole.Admin, StaffRole.Supervisor)
  override(
    @CurrentPrincipal() p: Principal | null,
    @Param('teamId', uuidParam('teamId')) teamId: string,
    @Body() body: OverrideDto,
  ): Promise<{ id: string }> {
    const s = staffOf(p);
    return this.schedules.addOverride(
      teamId,
      { staffId: body.staffId, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) },
      { staffId: s.staffId, role: s.role },
    );
  }

  @Get()
  @StaffOnly(StaffRole.Admin, StaffRole.Supervisor)
  async who(
    @Param('teamId', uuidParam('teamId')) teamId: string,
    @Query('at') at?: string,
  ): Promise<{ at: string; staffId: string | null }> {
    const when = at === undefined ? new Date() : typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
    // PostgreSQL and the rotation arithmetic cover years 1970–9999; JavaScript dates reach ±275760.
    if (Number.isNaN(when.getTime()) || when.getTime() < 0 || when.getTime() > MAX_AT_MS) {
      throw validationError([{ path: 'at', message: 'must be an ISO 8601 time between 1970 and 9999' }]);
    }
    return { at: when.toISOString(), staffId: await this.schedules.whoIsOnCall(teamId, when) };
  }
}
