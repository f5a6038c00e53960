import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ALERT_SEVERITIES, type AlertSeverity } from '@panah/domain';
import { CHANNEL_KINDS } from '@panah/notify';

export class CreatePolicyDto {
  @ApiProperty({ example: 'Critical: Berlin desk' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    description: 'PolicyDefinition: {steps, ackTimeoutSeconds, maxSnoozeSeconds}; validated with field paths',
  })
  @IsObject()
  definition!: Record<string, unknown>;
}

export class UpdatePolicyDto {
  @ApiProperty()
  @IsObject()
  definition!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'refuse the update unless the policy is still at this version' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class SimulatedAckDto {
  @ApiProperty()
  @IsISO8601({ strict: true })
  at!: string;

  @ApiProperty()
  @IsUUID()
  by!: string;
}

export class SimulateDto {
  @ApiProperty({ enum: ALERT_SEVERITIES })
  @IsIn(ALERT_SEVERITIES)
  severity!: AlertSeverity;

  @ApiProperty()
  @IsISO8601({ strict: true })
  startAt!: string;

  @ApiProperty({ type: [SimulatedAckDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SimulatedAckDto)
  acknowledgements!: SimulatedAckDto[];
}

export class SnoozeDto {
  @ApiProperty({ minimum: 1, description: 'bounded by the policy’s maxSnoozeSeconds' })
  @IsInt()
  @Min(1)
  @Max(86_400)
  seconds!: number;
}

export class AddContactMethodDto {
  @ApiProperty({ enum: CHANNEL_KINDS })
  @IsIn(CHANNEL_KINDS)
  channel!: string;

  @ApiProperty({ description: 'email: {address}; webhook: {url}; signal|sms: {number}; matrix: {roomId}' })
  @IsObject()
  detail!: Record<string, unknown>;
}

export class ReorderContactMethodsDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  ids!: string[];
}

export class NotificationSettingsDto {
  @ApiProperty({ example: 'Europe/Berlin' })
  @IsString()
  @Length(1, 64)
  timeZone!: string;
}

export class ScheduleDto {
  @ApiProperty({ example: 'Europe/Berlin' })
  @IsString()
  @Length(1, 64)
  timeZone!: string;

  @ApiProperty({ example: '09:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/)
  handoffTime!: string;

  @ApiProperty({ example: '2025-03-03' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  rotationStart!: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  members!: string[];
}

export class OverrideDto {
  @ApiProperty()
  @IsUUID()
  staffId!: string;

  @ApiProperty()
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty()
  @IsISO8601({ strict: true })
  endsAt!: string;
}

export class AckLinkDto {
  @ApiProperty({ description: 'the pk_… token from the link’s fragment' })
  @IsString()
  @Length(1, 64)
  token!: string;
}
