import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  INVITATION_MAX_TTL_HOURS,
  isTeamLanguage,
  isTeamRegion,
  StaffRole,
  StaffStatus,
  STAFF_ROLES,
  STAFF_STATUSES,
  TEAM_MAX_LANGUAGES,
  TEAM_MAX_REGIONS,
  TEAM_NAME_MAX,
} from '@panah/domain';
import { NotBlank, PLAIN_TEXT, PLAIN_TEXT_MESSAGE } from '../http/text-fields';

@ValidatorConstraint({ name: 'teamRegions' })
class TeamRegions implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every((v) => typeof v === 'string' && isTeamRegion(v));
  }
  defaultMessage(): string {
    return 'must be ISO 3166-1 alpha-2 country codes, uppercase (e.g. DE, AF)';
  }
}

@ValidatorConstraint({ name: 'teamLanguages' })
class TeamLanguages implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every((v) => typeof v === 'string' && isTeamLanguage(v));
  }
  defaultMessage(): string {
    return 'must be language codes of the hint vocabulary (e.g. prs, ps, fa, en)';
  }
}

export class CreateInvitationDto {
  @ApiProperty({
    description: 'who this is for, as admins will recognise them (not shown to anyone else)',
    example: 'Farid K., Berlin desk',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(PLAIN_TEXT, { message: PLAIN_TEXT_MESSAGE })
  @NotBlank()
  label!: string;

  @ApiProperty({ enum: STAFF_ROLES, example: 'caseworker' })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;

  @ApiProperty({ type: [String], description: 'team ids', example: ['8c1e3f2b-4e6f-4d9a-8b1a-5f6a7b2c3d4e'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  teamIds!: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: INVITATION_MAX_TTL_HOURS, default: 72, example: 48 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INVITATION_MAX_TTL_HOURS)
  expiresInHours?: number;
}

export class CreatedInvitationResponse {
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b' }) invitationId!: string;
  @ApiProperty({
    description: 'shown once: hand it to the person out of band (`panah staff register`)',
    example: 'pi_FAKE-invitation-token-not-real-AAAAAAAAAAAA',
  })
  token!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-03T09:30:00.000Z' }) expiresAt!: string;
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b' }) id!: string;
  @ApiProperty({ enum: ['invitation', 'setup'], example: 'invitation' }) kind!: string;
  @ApiProperty({ example: 'Farid K., Berlin desk' }) label!: string;
  @ApiProperty({ enum: STAFF_ROLES, example: 'caseworker' }) role!: StaffRole;
  @ApiProperty({ type: [String], example: ['8c1e3f2b-4e6f-4d9a-8b1a-5f6a7b2c3d4e'] }) teamIds!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    example: '1e9a4d3f-2b8c-4e6f-8b1a-3d4e5f6a7b2c',
  })
  createdBy!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:30:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-04T09:30:00.000Z' }) expiresAt!: string;
  @ApiProperty({ example: false }) expired!: boolean;
}

export class StaffResponse {
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b' }) id!: string;
  @ApiProperty({ example: 'farid.k' }) login!: string;
  @ApiProperty({ example: 'Farid K.' }) label!: string;
  @ApiProperty({ enum: STAFF_ROLES, example: 'caseworker' }) role!: StaffRole;
  @ApiProperty({ enum: STAFF_STATUSES, example: 'active' }) status!: StaffStatus;
  @ApiProperty({ type: [String], example: ['8c1e3f2b-4e6f-4d9a-8b1a-5f6a7b2c3d4e'] }) teamIds!: string[];
  @ApiProperty({ type: [String], description: 'memberships waiting for a second admin', example: [] })
  pendingTeamIds!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    example: '1e9a4d3f-2b8c-4e6f-8b1a-3d4e5f6a7b2c',
  })
  invitedBy!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    example: '9a4d1e3f-2b8c-4e6f-8b1a-4e5f6a7b2c3d',
  })
  approvedBy!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:30:00.000Z' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-12-01T10:00:00.000Z' })
  approvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-12-01T10:00:00.000Z' })
  statusChangedAt!: string | null;
}

export class ListStaffQuery {
  @ApiPropertyOptional({ enum: STAFF_STATUSES })
  @IsOptional()
  @IsIn(STAFF_STATUSES)
  status?: StaffStatus;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: STAFF_ROLES, example: 'supervisor' })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;
}

export class ChangeTeamsDto {
  @ApiProperty({ type: [String], example: ['8c1e3f2b-4e6f-4d9a-8b1a-5f6a7b2c3d4e'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  teamIds!: string[];
}

export class CreateTeamDto {
  @ApiProperty({ example: 'Berlin desk' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEAM_NAME_MAX)
  @Matches(PLAIN_TEXT, { message: PLAIN_TEXT_MESSAGE })
  @NotBlank()
  name!: string;

  @ApiProperty({ type: [String], example: ['DE', 'AT'] })
  @IsArray()
  @ArrayMaxSize(TEAM_MAX_REGIONS)
  @Validate(TeamRegions)
  regions!: string[];

  @ApiProperty({ type: [String], example: ['prs', 'ps', 'de'] })
  @IsArray()
  @ArrayMaxSize(TEAM_MAX_LANGUAGES)
  @Validate(TeamLanguages)
  languages!: string[];
}

/** Optional, but `null` is not "absent": it is validated (and refused) like any other value. */
const PresentOrAbsent = () => ValidateIf((_o: object, value: unknown) => value !== undefined);

/** A patch: absent fields stay as they are; null is a 400, never a NOT NULL violation (a 500). */
export class UpdateTeamDto {
  @ApiPropertyOptional({ example: 'Berlin and Vienna desk' })
  @PresentOrAbsent()
  @IsString()
  @MinLength(1)
  @MaxLength(TEAM_NAME_MAX)
  @Matches(PLAIN_TEXT, { message: PLAIN_TEXT_MESSAGE })
  @NotBlank()
  name?: string;

  @ApiPropertyOptional({ type: [String], example: ['DE', 'AT'] })
  @PresentOrAbsent()
  @IsArray()
  @ArrayMaxSize(TEAM_MAX_REGIONS)
  @Validate(TeamRegions)
  regions?: string[];

  @ApiPropertyOptional({ type: [String], example: ['prs', 'ps', 'de'] })
  @PresentOrAbsent()
  @IsArray()
  @ArrayMaxSize(TEAM_MAX_LANGUAGES)
  @Validate(TeamLanguages)
  languages?: string[];
}

export class TeamResponse {
  @ApiProperty({ format: 'uuid', example: '8c1e3f2b-4e6f-4d9a-8b1a-5f6a7b2c3d4e' }) id!: string;
  @ApiProperty({ example: 'Berlin desk' }) name!: string;
  @ApiProperty({ type: [String], example: ['DE', 'AT'] }) regions!: string[];
  @ApiProperty({ type: [String], example: ['prs', 'ps', 'de'] }) languages!: string[];
  @ApiProperty({ example: 4 }) members!: number;
}
