import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Principal, StaffRole } from '@panah/domain';
import { Teams } from '@panah/identity';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import { CreateTeamDto, TeamResponse, UpdateTeamDto } from './admin.dto';
import { uuidParam } from './params';
import { staffOf } from './staff-principal';

/** Teams and their routing attributes (regions, languages), managed by admins. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/teams')
export class AdminTeamsController {
  constructor(private readonly teams: Teams) {}

  @Post()
  @StaffOnly(StaffRole.Admin)
  @ApiCreatedResponse({ type: TeamResponse })
  create(@CurrentPrincipal() p: Principal | null, @Body() body: CreateTeamDto): Promise<TeamResponse> {
    return this.teams.create(staffOf(p).staffId, body);
  }

  @Get()
  @StaffOnly(StaffRole.Admin)
  @ApiOkResponse({ type: [TeamResponse] })
  list(): Promise<TeamResponse[]> {
    return this.teams.list();
  }

  @Get(':id')
  @StaffOnly(StaffRole.Admin)
  @ApiOkResponse({ type: TeamResponse })
  get(@Param('id', uuidParam('id')) id: string): Promise<TeamResponse> {
    return this.teams.get(id);
  }

  @Patch(':id')
  @StaffOnly(StaffRole.Admin)
  @ApiOkResponse({ type: TeamResponse })
  update(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: UpdateTeamDto,
  ): Promise<TeamResponse> {
    return this.teams.update(staffOf(p).staffId, id, body);
  }

  @Delete(':id')
  @StaffOnly(StaffRole.Admin)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'delete an empty team' })
  @ApiNoContentResponse()
  async remove(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    await this.teams.remove(staffOf(p).staffId, id);
  }
}
