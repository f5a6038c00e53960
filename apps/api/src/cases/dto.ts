import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CASE_STATES, SEVERITIES } from '@panah/domain';

export class CaseListQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATES }) @IsOptional() @IsIn(CASE_STATES) state?: (typeof CASE_STATES)[number];
  @ApiPropertyOptional({ enum: SEVERITIES }) @IsOptional() @IsIn(SEVERITIES) severity?: (typeof SEVERITIES)[number];
  @ApiPropertyOptional() @IsOptional() @IsUUID('all') teamId?: string;
  @ApiPropertyOptional({ description: 'only cases due before this ISO time' }) @IsOptional() @IsDateString() deadlineBefore?: string;
  @ApiPropertyOptional({ description: 'last case id of the previous page' }) @IsOptional() @IsString() @MaxLength(64) @IsUUID('all') cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}
