import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ConversationService, type MessageView } from '@panah/casework';
import { DomainError, ErrorCode, type Principal } from '@panah/domain';
import { CurrentPrincipal, ReporterOnly } from '@panah/security';
import { MessageDto, PutEnvelopeDto } from './dto';
import { ApiErrors } from '../http/api-errors';

/** A reporter answers in the conversation of the case their report belongs to (crypto-v1 §9). */
@ApiTags('reports')
@ApiBearerAuth()
@ReporterOnly()
@Controller('reports')
export class ReporterMessagesController {
  constructor(private readonly conversation: ConversationService) {}

  @Put(':reportId/messages/:messageId')
  @ApiErrors({
    404: ['request/not_found: `report/not_found`, this reporter has no report with this id'],
  })
  @ApiOperation({
    summary:
      'a message to the organisation (envelope kind message sealed to the keys of the current directory, signed by you)',
  })
  @ApiBody({ type: PutEnvelopeDto })
  @ApiResponse({ status: 201, type: MessageDto, description: 'stored' })
  @ApiOkResponse({ type: MessageDto, description: 'identical replay' })
  @ApiResponse({ status: 409, description: 'message/conflict' })
  @ApiNotFoundResponse({ description: 'report/not_found' })
  async put(
    @Param('reportId') reportId: string,
    @Param('messageId') messageId: string,
    @Body() body: PutEnvelopeDto,
    @CurrentPrincipal() p: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MessageView> {
    if (p?.kind !== 'reporter')
      throw new DomainError(ErrorCode.Unauthenticated, 'A reporter session is required');
    const result = await this.conversation.reporterMessage(p.reporterId, reportId, messageId, body);
    res.status(result.created ? 201 : 200);
    return result.message;
  }
}
