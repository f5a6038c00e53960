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
  @ApiProperty({ example: '1042' }) seq!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00.000Z' }) at!: string;
  @ApiProperty({ enum: ['staff', 'system', 'anonymous'], example: 'staff' }) actorType!: string;
  @ApiProperty({ nullable: true, type: String, example: '9a4d1e3f-2b8c-4e6f-8b1a-4e5f6a7b2c3d' })
  actorId!: string | null;
  @ApiProperty({ example: 'staff.approved' }) action!: string;
  @ApiProperty({ nullable: true, type: String, example: 'staff' }) targetType!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b' })
  targetId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ description: 'hash of the entry before, 64 bytes hex', example: 'deadbeef'.repeat(16) })
  prevHash!: string;
  @ApiProperty({
    description: 'this entry chained to the one before, 64 bytes hex',
    example: 'c0ffee00'.repeat(16),
  })
  hash!: string;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEntryResponse] }) entries!: AuditEntryResponse[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: '1001',
    description: 'pass as `cursor`; null on the last page',
  })
  nextCursor!: string | null;
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
