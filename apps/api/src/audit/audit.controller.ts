import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { AuditLog } from '@panah/audit';
import { StaffRole } from '@panah/domain';
import { StaffOnly } from '@panah/security';

export class AuditPageQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page (entries older than it)' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'must be a cursor from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class AuditEntryResponse {
  @ApiProperty() seq!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['staff', 'system', 'anonymous'] }) actorType!: string;
  @ApiProperty({ nullable: true, type: String }) actorId!: string | null;
  @ApiProperty({ example: 'staff.approved' }) action!: string;
  @ApiProperty({ nullable: true, type: String }) targetType!: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEntryResponse] }) entries!: AuditEntryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

/** Admins page through the tamper-evident audit log, newest first. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @StaffOnly(StaffRole.Admin)
  @ApiOperation({ summary: 'audit entries, newest first (keyset pagination by seq)' })
  @ApiOkResponse({ type: AuditPageResponse })
  async page(@Query() query: AuditPageQuery): Promise<AuditPageResponse> {
    const page = await this.audit.page({ cursor: query.cursor, limit: query.limit ?? 50 });
    return {
      entries: page.entries.map((e) => ({ ...e, at: e.at.toISOString() })),
      nextCursor: page.nextCursor,
    };
  }
}
