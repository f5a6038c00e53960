import { Body, Controller, Get, Inject, Optional, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, type Principal } from '@panah/domain';
import {
  AttachmentService,
  MessageService,
  REPORTER_DURESS_PORT,
  ReportService,
  type MessageView,
  type ReporterDuressPort,
  type ReportView,
} from '@panah/intake';
import { CurrentPrincipal, ReporterOnly } from '@panah/security';
import { ApiErrors } from '../http/api-errors';
import { PageQueryDto, SubmitReportDto } from './dto';

function reporterOf(principal: Principal | null): string {
  // The guard already enforced ReporterOnly; this narrows the type.
  if (principal?.kind !== 'reporter')
    throw new DomainError(ErrorCode.Unauthenticated, 'A reporter session is required');
  return principal.reporterId;
}

@ApiTags('reports')
@ApiBearerAuth()
@ReporterOnly()
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportService,
    private readonly attachments: AttachmentService,
    private readonly messages: MessageService,
    // Duress seam (issue 8): a duress session sees no reports or messages unless the reporter chose otherwise.
    @Optional() @Inject(REPORTER_DURESS_PORT) private readonly duress: ReporterDuressPort | null = null,
  ) {}

  /** Whether this session may see real reports; asked for every session, so timing does not tell. */
  private async shows(principal: Principal | null): Promise<boolean> {
    return (
      principal?.kind !== 'reporter' || !this.duress || (await this.duress.showsReports(principal.sessionId))
    );
  }

  /**
   * Submits a report under a client-chosen UUID: 201 when stored, 200 with the same body when
   * this exact request was already stored (a retry), 409 for a different report under that id.
   */
  @Put('reports/:id')
  @ApiErrors({
    400: [
      'request/validation_failed: `envelope/bad_format`, the envelope is not a well-formed v2 envelope; `envelope/v1_retired`, a v1 envelope (seal v2); `envelope/id_mismatch`, the envelope id is not the path id; `envelope/unknown_recipient`, a recipient kid is not an intake key of the current directory (refetch it); `envelope/unknown_author`, the author is not this reporter; `envelope/bad_signature`, the signature does not verify; `report/bad_id`, the id is not a lowercase UUID; `hints/not_an_object`, `hints/unknown_field`, `hints/unknown_value`, the triage hints are malformed (each named in `fields`)',
    ],
  })
  async submit(
    @Param('id') id: string,
    @Body() body: SubmitReportDto,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReportView> {
    const result = await this.reports.submit(reporterOf(principal), id, body);
    res.status(result.created ? 201 : 200);
    return result.report;
  }

  @Get('reports')
  async list(
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<{ items: ReportView[]; nextCursor: string | null }> {
    const reporterId = reporterOf(principal);
    if (!(await this.shows(principal))) return { items: [], nextCursor: null };
    return this.reports.list(reporterId, query.limit ?? 20, query.cursor);
  }

  @Get('reports/:id')
  @ApiErrors({ 404: ['request/not_found: `report/not_found`, this reporter has no report with this id'] })
  async get(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal | null,
  ): ReturnType<ReportService['get']> {
    const reporterId = reporterOf(principal);
    // Hidden under duress: the same 404 as a report that does not exist.
    if (!(await this.shows(principal)))
      return this.reports.get(reporterId, '00000000-0000-0000-0000-000000000000');
    return this.reports.get(reporterId, id);
  }

  /** Streams an encrypted attachment blob (application/octet-stream) into the database. */
  @Put('reports/:id/attachments/:attachmentId')
  @ApiConsumes('application/octet-stream')
  @ApiBody({
    description:
      'the encrypted attachment blob (crypto-v1 attachment ciphertext), at most `limits.attachmentBytes`',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors({
    400: [
      'request/validation_failed: `report/bad_id`, the report or attachment id is not a lowercase UUID; `attachment/impossible_size`, no well-formed encrypted attachment has this size (a truncated upload?); `attachment/aborted`, the upload ended early; `attachment/too_many`, the report already holds `limits.attachmentsPerReport` attachments. Nothing is kept',
    ],
    404: ['request/not_found: `report/not_found`, this reporter has no report with this id'],
  })
  async upload(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ id: string; size: number }> {
    const reporterId = reporterOf(principal);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/octet-stream') {
      throw new DomainError(
        ErrorCode.UnsupportedMediaType,
        'Attachments are sent as application/octet-stream',
        [{ path: 'content-type', message: 'must be application/octet-stream' }],
        'attachment/media_type',
      );
    }
    const length = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : null;
    const result = await this.attachments.store(
      reporterId,
      id,
      attachmentId,
      req,
      Number.isFinite(length) ? length : null,
    );
    res.status(result.created ? 201 : 200);
    return { id: result.id, size: result.size };
  }

  /** Messages addressed to this reporter (envelopes only their device can open). */
  @Get('messages')
  async listMessages(
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<{ items: MessageView[]; nextCursor: string | null }> {
    const reporterId = reporterOf(principal);
    if (!(await this.shows(principal))) return { items: [], nextCursor: null };
    return this.messages.list(reporterId, query.limit ?? 20, query.cursor);
  }
}
