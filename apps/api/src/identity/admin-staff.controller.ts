import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Principal, StaffRole } from '@panah/domain';
import { Invitations, StaffAdmin, type StatusAction } from '@panah/identity';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import {
  ChangeRoleDto,
  ChangeTeamsDto,
  CreatedInvitationResponse,
  CreateInvitationDto,
  InvitationResponse,
  ListStaffQuery,
  StaffResponse,
} from './admin.dto';
import { uuidParam } from './params';
import { actorFacts, staffOf } from './staff-principal';

/** People management (admins only): invitations, four-eyes vetting, suspension, offboarding, roles, teams. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminStaffController {
  constructor(
    private readonly invitations: Invitations,
    private readonly staff: StaffAdmin,
  ) {}

  @Post('invitations')
  @StaffOnly(StaffRole.Admin)
  @ApiOperation({ summary: 'invite a person by label, role and teams; the token is shown once' })
  @ApiCreatedResponse({ type: CreatedInvitationResponse })
  async invite(
    @CurrentPrincipal() principal: Principal | null,
    @Body() body: CreateInvitationDto,
  ): Promise<CreatedInvitationResponse> {
    const created = await this.invitations.create(staffOf(principal).staffId, body);
    return {
      invitationId: created.invitationId,
      token: created.token,
      expiresAt: created.expiresAt.toISOString(),
    };
  }

  @Get('invitations')
  @StaffOnly(StaffRole.Admin)
  @ApiOperation({ summary: 'open (unused, unrevoked) invitations and setup links' })
  @ApiOkResponse({ type: [InvitationResponse] })
  listInvitations(): Promise<InvitationResponse[]> {
    return this.invitations.listOpen();
  }

  @Delete('invitations/:id')
  @StaffOnly(StaffRole.Admin)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'revoke an unused invitation or setup link' })
  @ApiNoContentResponse()
  async revokeInvitation(
    @CurrentPrincipal() principal: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    await this.invitations.revoke(staffOf(principal).staffId, id);
  }

  @Get('staff')
  @StaffOnly(StaffRole.Admin)
  @ApiOperation({ summary: 'staff accounts (e.g. ?status=pending_vetting for the vetting queue)' })
  @ApiOkResponse({ type: [StaffResponse] })
  list(@Query() query: ListStaffQuery): Promise<StaffResponse[]> {
    return this.staff.list(query.status);
  }

  @Get('staff/:id')
  @StaffOnly(StaffRole.Admin)
  @ApiOkResponse({ type: StaffResponse })
  get(@Param('id', uuidParam('id')) id: string): Promise<StaffResponse> {
    return this.staff.get(id);
  }

  @Post('staff/:id/approve')
  @StaffOnly(StaffRole.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'vet a pending account: only an admin other than the account and its inviter' })
  @ApiOkResponse({ type: StaffResponse })
  approve(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<StaffResponse> {
    return this.act(p, id, 'approve');
  }

  @Post('staff/:id/reject')
  @StaffOnly(StaffRole.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: StaffResponse })
  reject(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<StaffResponse> {
    return this.act(p, id, 'reject');
  }

  @Post('staff/:id/suspend')
  @StaffOnly(StaffRole.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'freeze an account; its sessions end at once' })
  @ApiOkResponse({ type: StaffResponse })
  suspend(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<StaffResponse> {
    return this.act(p, id, 'suspend');
  }

  @Post('staff/:id/offboard')
  @StaffOnly(StaffRole.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'end an account for good; sessions end and sign-in credentials are wiped' })
  @ApiOkResponse({ type: StaffResponse })
  offboard(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<StaffResponse> {
    return this.act(p, id, 'offboard');
  }

  @Put('staff/:id/role')
  @StaffOnly(StaffRole.Admin)
  @ApiOkResponse({ type: StaffResponse })
  changeRole(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ChangeRoleDto,
  ): Promise<StaffResponse> {
    return this.staff.changeRole(actorFacts(staffOf(p)), id, body.role);
  }

  @Put('staff/:id/teams')
  @StaffOnly(StaffRole.Admin)
  @ApiOkResponse({ type: StaffResponse })
  changeTeams(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ChangeTeamsDto,
  ): Promise<StaffResponse> {
    return this.staff.changeTeams(actorFacts(staffOf(p)), id, body.teamIds);
  }

  @Post('staff/:id/teams/:teamId/approve')
  @StaffOnly(StaffRole.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'a second admin grants a pending team membership (the admin who asked cannot)' })
  @ApiOkResponse({
    type: StaffResponse,
    example: {
      id: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b',
      login: 'farid.k',
      label: 'Farid K.',
      role: 'caseworker',
      status: 'active',
      teamIds: ['8c1e3f2b-4e6f-4d9a-8b1a-5f6a7b2c3d4e'],
      pendingTeamIds: [],
      invitedBy: '1e9a4d3f-2b8c-4e6f-8b1a-3d4e5f6a7b2c',
      approvedBy: '9a4d1e3f-2b8c-4e6f-8b1a-4e5f6a7b2c3d',
      createdAt: '2026-12-01T09:30:00.000Z',
      approvedAt: '2026-12-01T10:00:00.000Z',
      statusChangedAt: '2026-12-01T10:00:00.000Z',
    },
  })
  approveTeam(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
    @Param('teamId', uuidParam('teamId')) teamId: string,
  ): Promise<StaffResponse> {
    return this.staff.approveTeam(actorFacts(staffOf(p)), id, teamId);
  }

  @Post('staff/:id/teams/:teamId/reject')
  @StaffOnly(StaffRole.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'turn down a pending team membership (any admin, the one who asked included); audited',
  })
  @ApiOkResponse({ type: StaffResponse })
  rejectTeam(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
    @Param('teamId', uuidParam('teamId')) teamId: string,
  ): Promise<StaffResponse> {
    return this.staff.rejectTeam(actorFacts(staffOf(p)), id, teamId);
  }

  private act(p: Principal | null, id: string, action: StatusAction): Promise<StaffResponse> {
    return this.staff.changeStatus(actorFacts(staffOf(p)), id, action);
  }
}
