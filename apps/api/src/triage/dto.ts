import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBoolean, IsObject, IsOptional } from 'class-validator';

export class CreateRuleSetDto {
  @ApiProperty({
    description: 'the whole rule set: { rules: [{ name?, when, then }], default, defaultTeamId }',
  })
  @IsObject()
  ruleSet!: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'activate the new version at once' })
  @IsOptional()
  @IsBoolean()
  activate?: boolean;
}

export class DryRunDto {
  @ApiPropertyOptional({ description: 'hints to evaluate (absent or null: a report without hints)' })
  @Allow()
  hints?: unknown;
  @ApiPropertyOptional({ description: 'a draft rule set; the active one when absent' })
  @IsOptional()
  @IsObject()
  ruleSet?: Record<string, unknown>;
}
