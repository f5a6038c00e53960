import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';
import {
  LOGIN_PATTERN,
  StaffRole,
  StaffStatus,
  STAFF_ROLES,
  STAFF_STATUSES,
  TOTP_CODE_PATTERN,
  TOTP_SECRET_PATTERN,
} from '@panah/domain';

const b64u = (chars: number) => new RegExp(`^[A-Za-z0-9_-]{${chars}}$`);
const B64U_16 = b64u(22);
const B64U_32 = b64u(43);
const B64U_PROTECTED = b64u(139); // 24-byte nonce + 64-byte secret + 16-byte tag
const RECOVERY_CODE = /^[A-Za-z2-9 -]{16,24}$/;

export class PreloginDto {
  @ApiProperty({ example: 'farid.k', pattern: LOGIN_PATTERN.source })
  @IsString()
  @Matches(LOGIN_PATTERN, { message: 'must be 3-32 lowercase letters, digits, . _ -' })
  login!: string;
}

export class PreloginResponse {
  @ApiProperty({ description: 'base64url, 16 bytes (a stable fake one for unknown logins)' })
  kdfSalt!: string;
  @ApiProperty({ example: 3 }) opslimit!: number;
  @ApiProperty({ example: 268435456 }) memlimit!: number;
  @ApiProperty({ example: 'argon2id13' }) alg!: string;
}

/** A solved sign-in proof of work (crypto-v1 §7's scheme, challenge bound to the login name). */
export class LoginProofOfWorkDto {
  @ApiProperty({ description: 'the `pow.challenge` of a `login/pow_required` answer, base64url, 32 bytes' })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  challenge!: string;

  @ApiProperty({
    description:
      'base64url, 1 to 32 bytes, such that SHA-256(challenge || nonce) has `difficulty` leading zero bits',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{2,43}$/, { message: 'must be 1 to 32 bytes in base64url' })
  nonce!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'farid.k' })
  @IsString()
  @Matches(LOGIN_PATTERN, { message: 'must be 3-32 lowercase letters, digits, . _ -' })
  login!: string;

  @ApiProperty({ description: 'authKey (crypto-v1 §4), base64url, 32 bytes' })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  authKey!: string;

  @ApiPropertyOptional({ description: 'current 6-digit code; exactly one of totpCode and recoveryCode' })
  @IsOptional()
  @IsString()
  @Matches(TOTP_CODE_PATTERN, { message: 'must be 6 digits' })
  totpCode?: string;

  @ApiPropertyOptional({ description: 'a one-time recovery code instead of a TOTP code' })
  @IsOptional()
  @IsString()
  @Matches(RECOVERY_CODE, { message: 'must be a recovery code like ABCD-EFGH-JKLM-NPQR' })
  recoveryCode?: string;

  @ApiPropertyOptional({
    type: LoginProofOfWorkDto,
    description: 'only when a previous answer was 401 `login/pow_required`: the solved challenge',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => LoginProofOfWorkDto)
  pow?: LoginProofOfWorkDto;
}

export class LoginResponse {
  @ApiProperty({ description: 'bearer token `ps_…`; store it like a password' }) token!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({ description: 'when the session ends if left idle (30 min idle, 12 h absolute)' })
  expiresAt!: string;
}

export class RegisterDto {
  @ApiProperty({ description: 'invitation token `pi_…` or bootstrap setup token `pa_…`' })
  @IsString()
  @Matches(/^p[ia]_[A-Za-z0-9_-]{43}$/, { message: 'must be an invitation or setup token' })
  invitationToken!: string;

  @ApiProperty({ description: 'client-chosen UUIDv4, bound into protectedSecret (crypto-v1 §4)' })
  @IsUUID('4')
  staffId!: string;

  @ApiProperty({ example: 'farid.k' })
  @IsString()
  @Matches(LOGIN_PATTERN, { message: 'must be 3-32 lowercase letters, digits, . _ -' })
  login!: string;

  @ApiProperty({ description: 'base64url, 16 bytes' })
  @IsString()
  @Matches(B64U_16, { message: 'must be 16 bytes in base64url' })
  kdfSalt!: string;

  @ApiProperty({ description: 'base64url, 32 bytes; stored only as an Argon2id hash' })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  authKey!: string;

  @ApiProperty({ description: 'X25519 public key, base64url' })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  boxPk!: string;

  @ApiProperty({ description: 'Ed25519 public key, base64url' })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  signPk!: string;

  @ApiProperty({ description: 'b64u(nonce || aead(boxSk || signSeed)) under encKey' })
  @IsString()
  @Matches(B64U_PROTECTED, { message: 'must be 104 bytes in base64url' })
  protectedSecret!: string;

  @ApiProperty({ description: 'base32 TOTP secret (20 bytes) the client showed to the authenticator app' })
  @IsString()
  @Matches(TOTP_SECRET_PATTERN, { message: 'must be 32 base32 characters (20 bytes)' })
  totpSecret!: string;

  @ApiProperty({ description: 'a current code from the authenticator app' })
  @IsString()
  @Matches(TOTP_CODE_PATTERN, { message: 'must be 6 digits' })
  totpCode!: string;
}

export class RegisterResponse {
  @ApiProperty() staffId!: string;
  @ApiProperty() login!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({ enum: STAFF_STATUSES, description: '`pending_vetting` until a second admin approves' })
  status!: StaffStatus;
  @ApiProperty({ type: [String], description: 'shown once; keep them offline' }) recoveryCodes!: string[];
}

export class TeamRef {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class MeResponse {
  @ApiProperty() staffId!: string;
  @ApiProperty() login!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({ enum: STAFF_STATUSES }) status!: StaffStatus;
  @ApiProperty({ type: [TeamRef] }) teams!: TeamRef[];
  @ApiProperty() kdfSalt!: string;
  @ApiProperty() boxPk!: string;
  @ApiProperty() signPk!: string;
  @ApiProperty({ description: 'opens only with encKey on the staff member’s device' })
  protectedSecret!: string;
}
