import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AssignmentService,
  CaseFilesService,
  type CaseSummary,
  ConversationService,
  type KeyRef,
  type MessageView,
  NotesService,
  type NoteView,
  type StaffKeyView,
} from '@panah/casework';
import { type Principal, StaffRole } from '@panah/domain';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import { ALL_STAFF, staffOf } from '../identity/staff-principal';
import { CaseSummaryDto } from '../cases/dto';
import {
  AssignCaseDto,
  CaseRecipientsDto,
  GrantsDto,
  GrantsStoredDto,
  HandOverCaseDto,
  MessageDto,
  NoteDto,
  PutEnvelopeDto,
  StaffKeyDto,
  StaffKeyListDto,
} from './dto';
import { ApiErrors } from '../http/api-errors';

const viewer = (p: Principal | null) => {
  const s = staffOf(p);
  return { staffId: s.staffId, role: s.role };
};

/**
 * Case work for staff who can read the case (supervisors and caseworkers of its team, its
 * assignee): messages to the reporter, notes, the recipients to seal them to, attachments.
 * Anyone else gets the same 404 as for a case that does not exist.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseworkController {
  constructor(
    private readonly conversation: ConversationService,
    private readonly notes: NotesService,
    private readonly files: CaseFilesService,
    private readonly assignment: AssignmentService,
  ) {}

  @Post(':id/assign')
  @HttpCode(HttpStatus.OK)
  @StaffOnly(StaffRole.Supervisor, StaffRole.Caseworker)
  @ApiOperation({
    summary:
      'assign the case (a supervisor of its team; or the caseworker who acknowledged it, to themselves), with grants for the assignee; audited, notifies the assignee',
  })
  @ApiBody({ type: AssignCaseDto })
  @ApiOkResponse({ type: CaseSummaryDto })
  @ApiResponse({
    status: 400,
    description:
      'case/bad_assignee, grant/bad_format, grant/bad_signature, grant/unknown_envelope, grant/not_allowed',
  })
  @ApiResponse({ status: 403, description: 'case/assign_forbidden' })
  @ApiNotFoundResponse({ description: 'case/not_found' })
  assign(
    @Param('id') id: string,
    @Body() body: AssignCaseDto,
    @CurrentPrincipal() p: Principal | null,
  ): Promise<CaseSummary> {
    return this.assignment.assign(id, viewer(p), body);
  }

  @Post(':id/handover')
  @HttpCode(HttpStatus.OK)
  @StaffOnly(StaffRole.Supervisor, StaffRole.Caseworker)
  @ApiOperation({
    summary:
      'move the case to another team (supervisors of its team), with grants for the new readers; audited, notifies the new assignee',
  })
  @ApiBody({ type: HandOverCaseDto })
  @ApiOkResponse({ type: CaseSummaryDto })
  @ApiResponse({ status: 400, description: 'case/bad_team, case/bad_assignee, grant errors' })
  @ApiResponse({ status: 403, description: 'case/assign_forbidden (not a supervisor)' })
  @ApiNotFoundResponse({ description: 'case/not_found' })
  handOver(
    @Param('id') id: string,
    @Body() body: HandOverCaseDto,
    @CurrentPrincipal() p: Principal | null,
  ): Promise<CaseSummary> {
    return this.assignment.handOver(id, viewer(p), body);
  }

  @Put(':id/grants')
  @ApiErrors({
    404: ['request/not_found: `case/not_found`, no case with this id is visible to the caller'],
  })
  @StaffOnly(StaffRole.Supervisor, StaffRole.Caseworker)
  @ApiOperation({
    summary:
      "grants (crypto-v1 §10) of this case's envelopes, signed by you, for staff who can read the case",
  })
  @ApiBody({ type: GrantsDto })
  @ApiOkResponse({ type: GrantsStoredDto })
  @ApiResponse({
    status: 400,
    description: 'grant/bad_format, grant/bad_signature, grant/unknown_envelope, grant/not_allowed',
  })
  @ApiNotFoundResponse({ description: 'case/not_found' })
  grants(
    @Param('id') id: string,
    @Body() body: GrantsDto,
    @CurrentPrincipal() p: Principal | null,
  ): Promise<{ stored: number }> {
    return this.assignment.addGrants(id, viewer(p), body.grants);
  }

  @Put(':id/messages/:messageId')
  @ApiErrors({
    404: ['request/not_found: `case/not_found`, no case with this id is visible to the caller'],
  })
  @StaffOnly(StaffRole.Supervisor, StaffRole.Caseworker)
  @ApiOperation({
    summary:
      "a message to the reporter (envelope kind message sealed to the reporter's box key, yours and the case's staff; crypto-v1 §9)",
  })
  @ApiBody({ type: PutEnvelopeDto })
  @ApiResponse({ status: 201, type: MessageDto, description: 'stored' })
  @ApiOkResponse({ type: MessageDto, description: 'identical replay' })
  @ApiResponse({ status: 409, description: 'message/conflict: a different message under this id' })
  @ApiNotFoundResponse({ description: 'case/not_found' })
  async putMessage(
    @Param('id') id: string,
    @Param('messageId') messageId: string,
    @Body() body: PutEnvelopeDto,
    @CurrentPrincipal() p: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MessageView> {
    const result = await this.conversation.staffMessage(id, messageId, viewer(p), body);
    res.status(result.created ? 201 : 200);
    return result.message;
  }

  @Put(':id/notes/:noteId')
  @ApiErrors({
    404: ['request/not_found: `case/not_found`, no case with this id is visible to the caller'],
  })
  @StaffOnly(StaffRole.Supervisor, StaffRole.Caseworker)
  @ApiOperation({
    summary:
      'a case note (envelope kind note sealed to you, the recovery key and optionally the case staff; crypto-v1 §9)',
  })
  @ApiBody({ type: PutEnvelopeDto })
  @ApiResponse({ status: 201, type: NoteDto, description: 'stored' })
  @ApiOkResponse({ type: NoteDto, description: 'identical replay' })
  @ApiResponse({ status: 409, description: 'note/conflict' })
  @ApiNotFoundResponse({ description: 'case/not_found' })
  async putNote(
    @Param('id') id: string,
    @Param('noteId') noteId: string,
    @Body() body: PutEnvelopeDto,
    @CurrentPrincipal() p: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NoteView> {
    const result = await this.notes.write(id, noteId, viewer(p), body);
    res.status(result.created ? 201 : 200);
    return result.note;
  }

  @Get(':id/recipients')
  @StaffOnly(StaffRole.Supervisor, StaffRole.Caseworker)
  @ApiOperation({ summary: 'the box keys a staff message or a note on this case is sealed to' })
  @ApiOkResponse({ type: CaseRecipientsDto })
  @ApiNotFoundResponse({ description: 'case/not_found' })
  recipients(
    @Param('id') id: string,
    @CurrentPrincipal() p: Principal | null,
  ): Promise<{ message: KeyRef[]; note: KeyRef[] }> {
    return this.files.recipients(id, viewer(p));
  }

  @Get(':id/attachments/:attachmentId')
  @StaffOnly(StaffRole.Supervisor, StaffRole.Caseworker)
  @ApiOperation({
    summary:
      'the encrypted attachment blob (crypto-v1 §2), streamed; decrypt with the key in the report plaintext',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the secretstream blob', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'case/not_found or attachment/not_found' })
  async attachment(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentPrincipal() p: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { size, stream } = await this.files.attachment(id, attachmentId, viewer(p));
    res.setHeader('cache-control', 'no-store');
    return new StreamableFile(stream, { type: 'application/octet-stream', length: size });
  }
}

/** Staff public keys: verify a staff envelope's author, compare kids, build the directory's `staff` list. */
@ApiTags('keys')
@ApiBearerAuth()
@Controller('keys/staff')
export class StaffKeysController {
  constructor(private readonly files: CaseFilesService) {}

  @Get()
  @StaffOnly(...ALL_STAFF)
  @ApiOperation({ summary: "active supervisors' and caseworkers' public keys" })
  @ApiOkResponse({ type: StaffKeyListDto })
  async list(): Promise<{ items: StaffKeyView[] }> {
    return { items: await this.files.activeStaffKeys() };
  }

  @Get(':kid')
  @StaffOnly(...ALL_STAFF)
  @ApiOperation({
    summary: 'a staff member by the kid of their sign key (an envelope author.kid) or box key',
  })
  @ApiOkResponse({ type: StaffKeyDto })
  @ApiNotFoundResponse({ description: 'key/not_found' })
  byKid(@Param('kid') keyId: string): Promise<StaffKeyView> {
    return this.files.staffKey(keyId);
  }
}
