import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, type Principal, StaffRole } from '@panah/domain';
import { ContactMethods, type ContactMethodView, EscalationCommands, type RunView } from '@panah/escalation';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import { uuidParam } from '../identity/params';
import { ALL_STAFF, staffOf } from '../identity/staff-principal';
import {
  AckLinkDto,
  AddContactMethodDto,
  NotificationSettingsDto,
  ReorderContactMethodsDto,
  SnoozeDto,
} from './escalation.dto';
import { ApiErrors } from '../http/api-errors';

const actor = (p: Principal | null) => {
  const s = staffOf(p);
  return { staffId: s.staffId, role: s.role };
};

/** Acknowledge, snooze and resolve escalations; the history of each, for supervisors. */
@ApiTags('escalations')
@ApiBearerAuth()
@Controller('escalations')
export class EscalationsController {
  constructor(private readonly commands: EscalationCommands) {}

  @Get('by-case/:caseId')
  @StaffOnly(StaffRole.Caseworker, StaffRole.Supervisor)
  byCase(
    @CurrentPrincipal() p: Principal | null,
    @Param('caseId', uuidParam('caseId')) caseId: string,
  ): Promise<RunView> {
    return this.commands.byCase(caseId, actor(p));
  }

  @Get(':id')
  @StaffOnly(StaffRole.Caseworker, StaffRole.Supervisor)
  get(@CurrentPrincipal() p: Principal | null, @Param('id', uuidParam('id')) id: string): Promise<RunView> {
    return this.commands.get(id, actor(p));
  }

  @Get(':id/history')
  @StaffOnly(StaffRole.Caseworker, StaffRole.Supervisor)
  @ApiOperation({
    summary:
      'every step, acknowledgement, notification and delivery attempt (no addresses, no content); for staff who can read the case',
  })
  async runHistory(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<{ run: RunView; events: unknown[]; notifications: unknown[] }> {
    return this.commands.history(id, actor(p));
  }

  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @StaffOnly(StaffRole.Caseworker, StaffRole.Supervisor)
  acknowledge(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<RunView> {
    return this.commands.acknowledge(id, actor(p));
  }

  @Post(':id/snooze')
  @HttpCode(HttpStatus.OK)
  @StaffOnly(StaffRole.Caseworker, StaffRole.Supervisor)
  snooze(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: SnoozeDto,
  ): Promise<RunView> {
    return this.commands.snooze(id, actor(p), body.seconds);
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @StaffOnly(StaffRole.Caseworker, StaffRole.Supervisor)
  resolve(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<RunView> {
    return this.commands.resolve(id, actor(p));
  }
}

/**
 * The one-click link from a notification (`<PUBLIC_URL>/ack#pk_…`): the console page reads the
 * token from the fragment after sign-in and posts it here, in the body, so it never appears in a
 * URL, a proxy log or our request log. `describe` changes nothing: a link scanner cannot ack.
 */
@ApiTags('escalations')
@ApiBearerAuth()
@Controller('escalation-links')
export class EscalationLinksController {
  constructor(private readonly commands: EscalationCommands) {}

  @Post('describe')
  @ApiErrors({
    404: ['request/not_found: `escalation/link_invalid`, the link is unknown, expired or already used'],
  })
  @HttpCode(HttpStatus.OK)
  @StaffOnly(StaffRole.Caseworker, StaffRole.Supervisor)
  describe(@CurrentPrincipal() p: Principal | null, @Body() body: AckLinkDto): Promise<RunView> {
    return this.commands.describeLink(body.token, actor(p));
  }

  @Post('acknowledge')
  @ApiErrors({
    404: ['request/not_found: `escalation/link_invalid`, the link is unknown, expired or already used'],
  })
  @HttpCode(HttpStatus.OK)
  @StaffOnly(StaffRole.Caseworker, StaffRole.Supervisor)
  acknowledge(@CurrentPrincipal() p: Principal | null, @Body() body: AckLinkDto): Promise<RunView> {
    return this.commands.acknowledgeByLink(body.token, actor(p));
  }
}

/** A staff member's own contact methods (encrypted at rest, never read back) and time zone. */
@ApiTags('staff')
@ApiBearerAuth()
@Controller('me')
export class MyNotificationsController {
  constructor(private readonly contacts: ContactMethods) {}

  @Get('contact-methods')
  @StaffOnly(...ALL_STAFF)
  list(@CurrentPrincipal() p: Principal | null): Promise<ContactMethodView[]> {
    return this.contacts.list(staffOf(p).staffId);
  }

  @Post('contact-methods')
  @StaffOnly(...ALL_STAFF)
  @ApiOperation({
    summary: 'add a contact method at the end of your order; a webhook’s signing secret is returned once',
  })
  add(@CurrentPrincipal() p: Principal | null, @Body() body: AddContactMethodDto) {
    return this.contacts.add(staffOf(p).staffId, body.channel, body.detail);
  }

  @Put('contact-methods/order')
  @StaffOnly(...ALL_STAFF)
  reorder(
    @CurrentPrincipal() p: Principal | null,
    @Body() body: ReorderContactMethodsDto,
  ): Promise<ContactMethodView[]> {
    return this.contacts.reorder(staffOf(p).staffId, body.ids);
  }

  @Delete('contact-methods/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @StaffOnly(...ALL_STAFF)
  async remove(
    @CurrentPrincipal() p: Principal | null,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    await this.contacts.remove(staffOf(p).staffId, id);
  }

  @Put('notification-settings')
  @HttpCode(HttpStatus.NO_CONTENT)
  @StaffOnly(...ALL_STAFF)
  async settings(
    @CurrentPrincipal() p: Principal | null,
    @Body() body: NotificationSettingsDto,
  ): Promise<void> {
    if (!body.timeZone) throw new DomainError(ErrorCode.ValidationFailed, 'timeZone is required');
    await this.contacts.setTimeZone(staffOf(p).staffId, body.timeZone);
  }
}
