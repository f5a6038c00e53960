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

/** Printable single-line text: labels and names are shown to admins, never interpreted. */
const PLAIN_TEXT = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u;

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
  @Matches(PLAIN_TEXT, { message: 'must be a single line of printable text' })
  label!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;

  @ApiProperty({ type: [String], description: 'team ids' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  teamIds!: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: INVITATION_MAX_TTL_HOURS, default: 72 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INVITATION_MAX_TTL_HOURS)
  expiresInHours?: number;
}

export class CreatedInvitationResponse {
  @ApiProperty() invitationId!: string;
  @ApiProperty({ description: 'shown once: hand it to the person out of band (`panah staff register`)' })
  token!: string;
  @ApiProperty() expiresAt!: string;
}

export class InvitationResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['invitation', 'setup'] }) kind!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({ type: [String] }) teamIds!: string[];
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty() expired!: boolean;
}

export class StaffResponse {
  @ApiProperty() id!: string;
  @ApiProperty() login!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({ enum: STAFF_STATUSES }) status!: StaffStatus;
  @ApiProperty({ type: [String] }) teamIds!: string[];
  @ApiProperty({ type: [String], description: 'memberships waiting for a second admin' })
  pendingTeamIds!: string[];
  @ApiProperty({ nullable: true, type: String }) invitedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) statusChangedAt!: string | null;
}

export class ListStaffQuery {
  @ApiPropertyOptional({ enum: STAFF_STATUSES })
  @IsOptional()
  @IsIn(STAFF_STATUSES)
  status?: StaffStatus;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;
}

export class ChangeTeamsDto {
  @ApiProperty({ type: [String] })
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
  @Matches(PLAIN_TEXT, { message: 'must be a single line of printable text' })
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
  @ApiPropertyOptional()
  @PresentOrAbsent()
  @IsString()
  @MinLength(1)
  @MaxLength(TEAM_NAME_MAX)
  @Matches(PLAIN_TEXT, { message: 'must be a single line of printable text' })
  name?: string;

  @ApiPropertyOptional({ type: [String] })
  @PresentOrAbsent()
  @IsArray()
  @ArrayMaxSize(TEAM_MAX_REGIONS)
  @Validate(TeamRegions)
  regions?: string[];

  @ApiPropertyOptional({ type: [String] })
  @PresentOrAbsent()
  @IsArray()
  @ArrayMaxSize(TEAM_MAX_LANGUAGES)
  @Validate(TeamLanguages)
  languages?: string[];
}

export class TeamResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty() members!: number;
}
