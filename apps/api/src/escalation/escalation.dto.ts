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
import { NotBlank, PLAIN_TEXT, PLAIN_TEXT_MESSAGE } from '../http/text-fields';

export class CreatePolicyDto {
  @ApiProperty({ example: 'Critical: Berlin desk' })
  @IsString()
  @Length(1, 100)
  @Matches(PLAIN_TEXT, { message: PLAIN_TEXT_MESSAGE })
  @NotBlank()
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
  @ApiProperty({ example: '2026-12-01T21:12:00.000Z' })
  @IsISO8601({ strict: true })
  at!: string;

  @ApiProperty({ example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11' })
  @IsUUID()
  by!: string;
}

export class SimulateDto {
  @ApiProperty({ enum: ALERT_SEVERITIES, example: 'critical' })
  @IsIn(ALERT_SEVERITIES)
  severity!: AlertSeverity;

  @ApiProperty({ example: '2026-12-01T21:00:00.000Z' })
  @IsISO8601({ strict: true })
  startAt!: string;

  @ApiProperty({
    type: [SimulatedAckDto],
    description: 'acknowledgements to play in (empty: nobody acknowledges)',
    example: [{ at: '2026-12-01T21:12:00.000Z', by: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11' }],
  })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SimulatedAckDto)
  acknowledgements!: SimulatedAckDto[];
}

export class SnoozeDto {
  @ApiProperty({ minimum: 1, description: 'bounded by the policy’s maxSnoozeSeconds', example: 900 })
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
  @ApiProperty({
    type: [String],
    description: 'every contact method id, first tried first',
    example: ['3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b', '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11'],
  })
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

  @ApiProperty({
    type: [String],
    description: 'staff ids in rotation order, from rotationStart',
    example: ['6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11', '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b'],
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  members!: string[];
}

export class OverrideDto {
  @ApiProperty({ example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11' })
  @IsUUID()
  staffId!: string;

  @ApiProperty({ example: '2026-12-24T18:00:00.000Z' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2026-12-26T09:00:00.000Z' })
  @IsISO8601({ strict: true })
  endsAt!: string;
}

export class AckLinkDto {
  @ApiProperty({
    description: 'the pk_… token from the link’s fragment',
    example: 'pk_FAKE-link-token-not-real-AAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @Length(1, 64)
  token!: string;
}
