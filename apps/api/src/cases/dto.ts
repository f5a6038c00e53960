import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CASE_STATES, SEVERITIES } from '@panah/domain';
import { EnvelopeDto } from '../casework/dto';

export class CaseListQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATES })
  @IsOptional()
  @IsIn(CASE_STATES)
  state?: (typeof CASE_STATES)[number];
  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: (typeof SEVERITIES)[number];
  @ApiPropertyOptional() @IsOptional() @IsUUID('all') teamId?: string;
  @ApiPropertyOptional({
    description:
      'a reason code the case carries (report, repeat_report, panic, missed_checkin, duress, triage_failed, …)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z_]+$/)
  reason?: string;
  @ApiPropertyOptional({ description: 'only cases assigned to this staff member' })
  @IsOptional()
  @IsUUID('all')
  assigneeId?: string;
  @ApiPropertyOptional({ description: 'only cases due before this ISO time' })
  @IsOptional()
  @IsDateString()
  deadlineBefore?: string;
  @ApiPropertyOptional({ description: 'last case id of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsUUID('all')
  cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class CaseSummaryDto {
  @ApiProperty({ format: 'uuid', example: '5b1f0c4e-2a7d-4f0e-9a51-0c7d2b9e8f11' }) id!: string;
  @ApiProperty({ enum: CASE_STATES, example: 'open' }) state!: string;
  @ApiProperty({ enum: SEVERITIES, example: 'critical' }) severity!: string;
  @ApiProperty({ type: [String], example: ['report', 'panic'], description: 'reason codes, never content' })
  reasons!: string[];
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '0d6f3a2b-8c1e-4b7a-9f2d-3e4c5b6a7d8e',
  })
  teamId!: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
  })
  assigneeId!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T21:10:00.000Z', description: 'response deadline' })
  deadlineAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T21:00:00.000Z' }) openedAt!: string;
}

export class CaseListDto {
  @ApiProperty({
    type: [CaseSummaryDto],
    example: [
      {
        id: '5b1f0c4e-2a7d-4f0e-9a51-0c7d2b9e8f11',
        state: 'open',
        severity: 'critical',
        reasons: ['report', 'panic'],
        teamId: '0d6f3a2b-8c1e-4b7a-9f2d-3e4c5b6a7d8e',
        assigneeId: null,
        deadlineAt: '2026-12-01T21:10:00.000Z',
        openedAt: '2026-12-01T21:00:00.000Z',
      },
    ],
  })
  items!: CaseSummaryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: '5b1f0c4e-2a7d-4f0e-9a51-0c7d2b9e8f11',
    description: 'pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}

export class CaseEscalationDto {
  @ApiProperty({ format: 'uuid', example: '9c2d7e1a-3b4f-4a6c-8d2e-1f3a5b7c9d0e' }) id!: string;
  @ApiProperty({
    description: 'active, acknowledged, snoozed, resolved, exhausted, …',
    example: 'acknowledged',
  })
  state!: string;
  @ApiProperty({ example: 1 }) step!: number;
  @ApiProperty({ example: 0 }) round!: number;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
  })
  acknowledgedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-12-01T21:04:00.000Z' })
  acknowledgedAt!: string | null;
}

export class ReporterSignKeyDto {
  @ApiProperty({
    description: 'kid of signPk: what the reporter envelopes name as author.kid',
    example: 'FAKE-reporter-AAAAAAAA',
  })
  kid!: string;
  @ApiProperty({
    description: 'Ed25519 public key b64u',
    example: 'FAKE-sign-public-key-AAAAAAAAAAAAAAAAAAAAAA',
  })
  signPk!: string;
}

export class CaseReporterDto {
  @ApiProperty({ example: 'FAKE-reporter-AAAAAAAA' }) id!: string;
  @ApiProperty({ nullable: true, type: String, example: 'FAKE-box-kid-AAAAAAAAA' }) boxKid!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'X25519 public key b64u: staff messages are sealed to it',
    example: 'FAKE-box-public-key-AAAAAAAAAAAAAAAAAAAAAAA',
  })
  boxPk!: string | null;
  @ApiProperty({ type: [ReporterSignKeyDto] }) signKeys!: ReporterSignKeyDto[];
}

export class GrantDto {
  @ApiProperty({ format: 'uuid', example: '7e3a9c1d-5b2f-4e8a-9c6d-2b4f6a8c0e1d' }) envelopeId!: string;
  @ApiProperty({ description: 'kid of the grantee X25519 key', example: 'FAKE-box-kid-AAAAAAAAA' })
  kid!: string;
  @ApiProperty({
    description: 'crypto_box_seal(K, pk), 80 bytes b64u',
    example:
      'FAKE-wrapped-key-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  wk!: string;
  @ApiProperty({ description: 'kid of the granter Ed25519 key', example: 'FAKE-sign-kid-AAAAAAAA' })
  by!: string;
  @ApiProperty({
    description:
      'crypto_sign_detached(utf8("panah/v1/grant/" + envelopeId + "/" + kid + "\\n") || wk, granterSignSk), b64u',
    example: 'FAKE-signature-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  sig!: string;
}

export class AttachmentRefDto {
  @ApiProperty({ format: 'uuid', example: '4c8e2a6f-1d3b-4f5a-8e7c-9b0d2f4a6c8e' }) id!: string;
  @ApiProperty({ description: 'blob size in bytes', example: 524288 }) size!: number;
}

/** The triage hints a reporter chose to send in the clear (decrypted for staff of the case's team). */
export class TriageHintsDto {
  @ApiPropertyOptional({ example: 'surveillance' }) category?: string;
  @ApiPropertyOptional({ example: 'days' }) imminence?: string;
  @ApiPropertyOptional({ example: 'DE', description: 'ISO 3166-1 alpha-2' }) country?: string;
  @ApiPropertyOptional({ example: 'regime_intelligence' }) perpetrator?: string;
  @ApiPropertyOptional({ example: true }) namedOnList?: boolean;
  @ApiPropertyOptional({ example: 'fa' }) language?: string;
}

/** One timeline entry; `type` says which of the optional fields are present. */
export class TimelineEntryDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    enum: ['report', 'message', 'note', 'checkin', 'escalation', 'notification', 'assignment', 'handover'],
  })
  type!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'report' }) reportId?: string;
  @ApiPropertyOptional({ type: EnvelopeDto, description: 'report, message, note' }) envelope?: EnvelopeDto;
  @ApiPropertyOptional({
    type: TriageHintsDto,
    nullable: true,
    description: "report: the reporter's triage hints, for staff of the case's team only",
  })
  hints?: TriageHintsDto | null;
  @ApiPropertyOptional({ type: [AttachmentRefDto], description: 'report' }) attachments?: AttachmentRefDto[];
  @ApiPropertyOptional({ format: 'uuid', description: 'message' }) messageId?: string;
  @ApiPropertyOptional({ enum: ['staff', 'reporter'], description: 'message' }) from?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'message, note' })
  authorStaffId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', description: 'note' }) noteId?: string;
  @ApiPropertyOptional({
    description:
      'checkin: checkin, missed_checkin, checked_in_after_alert, panic, duress_signin, duress_checkin; escalation: started, notified, acknowledged, snoozed, resolved, reactivated, …',
  })
  kind?: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'escalation' }) step?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'escalation' }) round?: number | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'escalation' }) actorId?:
    string | null;
  @ApiPropertyOptional({ enum: ['escalation', 'case_update'], description: 'notification' })
  notificationKind?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'notification' }) recipientId?: string;
  @ApiPropertyOptional({ description: 'notification: email, webhook, signal, matrix, sms' }) channel?: string;
  @ApiPropertyOptional({ description: 'notification: pending, delivered, failed, …' }) status?: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'notification' })
  deliveredAt?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'assignment, handover' })
  assigneeId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'assignment, handover' })
  byStaffId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'handover' })
  fromTeamId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'handover' }) teamId?:
    string | null;
}

export class CaseDetailDto extends CaseSummaryDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T21:05:00.000Z' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  resolvedAt!: string | null;
  @ApiProperty({ type: CaseEscalationDto, nullable: true }) escalation!: CaseEscalationDto | null;
  @ApiProperty({ type: CaseReporterDto }) reporter!: CaseReporterDto;
  @ApiProperty({
    type: [GrantDto],
    description: "grants on this case's envelopes to your box key (crypto-v1 §10)",
  })
  grants!: GrantDto[];
  @ApiProperty({
    type: [TimelineEntryDto],
    description: 'oldest first',
    example: [
      {
        at: '2026-12-01T21:00:00.000Z',
        type: 'report',
        reportId: '7e3a9c1d-5b2f-4e8a-9c6d-2b4f6a8c0e1d',
        envelope: {
          v: 2,
          kind: 'report',
          id: '7e3a9c1d-5b2f-4e8a-9c6d-2b4f6a8c0e1d',
          nonce: 'FAKE-nonce-AAAAAAAAAAAAAAAAAAAAA',
          ct: 'FAKE-ciphertext-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          recipients: [
            {
              kid: 'FAKE-box-kid-AAAAAAAAA',
              wk: 'FAKE-wrapped-key-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
            },
          ],
          author: {
            kid: 'FAKE-author-kid-AAAAAA',
            sig: 'FAKE-signature-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          },
        },
        hints: {
          category: 'surveillance',
          imminence: 'days',
          country: 'DE',
          namedOnList: true,
          language: 'fa',
        },
        attachments: [{ id: '4c8e2a6f-1d3b-4f5a-8e7c-9b0d2f4a6c8e', size: 524288 }],
      },
      {
        at: '2026-12-01T21:00:01.000Z',
        type: 'escalation',
        kind: 'started',
        step: null,
        round: null,
        actorId: null,
      },
      {
        at: '2026-12-01T21:00:02.000Z',
        type: 'notification',
        notificationKind: 'escalation',
        recipientId: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
        channel: 'email',
        status: 'delivered',
        deliveredAt: '2026-12-01T21:00:04.000Z',
      },
      {
        at: '2026-12-01T21:04:00.000Z',
        type: 'escalation',
        kind: 'acknowledged',
        step: 1,
        round: 0,
        actorId: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
      },
      {
        at: '2026-12-01T21:04:30.000Z',
        type: 'assignment',
        assigneeId: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
        byStaffId: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
      },
      {
        at: '2026-12-01T21:05:00.000Z',
        type: 'message',
        messageId: '0b5f8c2e-7d1a-4c3b-9e6f-1a2b3c4d5e6f',
        from: 'staff',
        authorStaffId: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
        envelope: {
          v: 2,
          kind: 'message',
          id: '0b5f8c2e-7d1a-4c3b-9e6f-1a2b3c4d5e6f',
          nonce: 'FAKE-nonce-AAAAAAAAAAAAAAAAAAAAA',
          ct: 'FAKE-ciphertext-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          recipients: [
            {
              kid: 'FAKE-box-kid-AAAAAAAAA',
              wk: 'FAKE-wrapped-key-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
            },
          ],
          author: {
            kid: 'FAKE-author-kid-AAAAAA',
            sig: 'FAKE-signature-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          },
        },
      },
    ],
  })
  timeline!: TimelineEntryDto[];
}
