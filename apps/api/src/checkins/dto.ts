import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

// Field contents are validated by the domain (libs/domain/src/checkins/plan.ts) so every problem
// comes back with its path; the DTOs only fix the set of top-level fields.

export class CheckinPlanDto {
  @ApiProperty({
    description:
      '{ kind: "interval", everySeconds } or { kind: "daily", times: ["HH:mm"], timeZone: "Europe/Berlin" }',
  })
  @Allow()
  schedule!: unknown;
  @ApiPropertyOptional({ description: 'seconds after a deadline before the alert (default 900)' })
  @Allow()
  graceSeconds?: unknown;
  @ApiPropertyOptional({ description: 'reminders this many seconds before each deadline, into the inbox' })
  @Allow()
  remindersSecondsBefore?: unknown;
  @ApiPropertyOptional({ description: 'the longest pause allowed (default 7 days)' })
  @Allow()
  maxPauseSeconds?: unknown;
  @ApiPropertyOptional({
    enum: ['low', 'medium', 'high', 'critical'],
    description: 'severity a miss raises (default critical)',
  })
  @Allow()
  missSeverity?: unknown;
}

export class PausePlanDto {
  @ApiProperty({ description: "ISO-8601 time the pause ends (at most the plan's maxPauseSeconds away)" })
  @Allow()
  until!: unknown;
}

/** A request signed with one of the reporter's sign keys: b64u(Ed25519(utf8("panah/v1/<kind>/<id>/<at>"))). */
export class SignedSignalDto {
  @ApiProperty({ description: 'client-chosen lowercase UUID (a retry sends the same one)' })
  @Allow()
  id!: unknown;
  @ApiProperty({ description: "the client's ISO-8601 time, part of the signed bytes" }) @Allow() at!: unknown;
  @ApiProperty({ description: 'kid of the sign key used' }) @Allow() kid!: unknown;
  @ApiProperty({ description: '64-byte Ed25519 signature, b64u' }) @Allow() signature!: unknown;
}

export class CheckinDto extends SignedSignalDto {
  @ApiPropertyOptional({
    description: 'crypto-v1 envelope of kind "checkin" whose id is the check-in id ("I am moving to…")',
  })
  @Allow()
  envelope?: unknown;
}

export class LimitQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class HistoryQueryDto extends LimitQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
