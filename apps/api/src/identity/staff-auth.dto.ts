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
  @ApiProperty({
    description: 'base64url, 16 bytes (a stable fake one for unknown logins)',
    example: 'FAKE-kdf-salt-AAAAAAAA',
  })
  kdfSalt!: string;
  @ApiProperty({ example: 3 }) opslimit!: number;
  @ApiProperty({ example: 268435456 }) memlimit!: number;
  @ApiProperty({ example: 'argon2id13' }) alg!: string;
}

/** A solved sign-in proof of work (crypto-v1 §7's scheme, challenge bound to the login name). */
export class LoginProofOfWorkDto {
  @ApiProperty({
    description: 'the `pow.challenge` of a `login/pow_required` answer, base64url, 32 bytes',
    example: 'FAKE-pow-challenge-AAAAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  challenge!: string;

  @ApiProperty({
    description:
      'base64url, 1 to 32 bytes, such that SHA-256(challenge || nonce) has `difficulty` leading zero bits',
    example: 'FAKE-nonce',
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

  @ApiProperty({
    description: 'authKey (crypto-v1 §4), base64url, 32 bytes',
    example: 'FAKE-auth-key-AAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  authKey!: string;

  @ApiPropertyOptional({
    description: 'current 6-digit code; exactly one of totpCode and recoveryCode',
    example: '123456',
  })
  @IsOptional()
  @IsString()
  @Matches(TOTP_CODE_PATTERN, { message: 'must be 6 digits' })
  totpCode?: string;

  @ApiPropertyOptional({
    description: 'a one-time recovery code instead of a TOTP code',
    example: 'ABCD-EFGH-JKLM-NPQR',
  })
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
  @ApiProperty({
    description: 'bearer token `ps_…`; store it like a password',
    example: 'ps_FAKE-session-token-not-real-AAAAAAAAAAAAAAA',
  })
  token!: string;
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b' }) staffId!: string;
  @ApiProperty({ enum: STAFF_ROLES, example: 'caseworker' }) role!: StaffRole;
  @ApiProperty({
    description: 'when the session ends if left idle (30 min idle, 12 h absolute)',
    format: 'date-time',
    example: '2026-12-01T10:00:00.000Z',
  })
  expiresAt!: string;
}

export class RegisterDto {
  @ApiProperty({
    description: 'invitation token `pi_…` or bootstrap setup token `pa_…`',
    example: 'pi_FAKE-invitation-token-not-real-AAAAAAAAAAAA',
  })
  @IsString()
  @Matches(/^p[ia]_[A-Za-z0-9_-]{43}$/, { message: 'must be an invitation or setup token' })
  invitationToken!: string;

  @ApiProperty({
    description: 'client-chosen UUIDv4, bound into protectedSecret (crypto-v1 §4)',
    example: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b',
  })
  @IsUUID('4')
  staffId!: string;

  @ApiProperty({ example: 'farid.k' })
  @IsString()
  @Matches(LOGIN_PATTERN, { message: 'must be 3-32 lowercase letters, digits, . _ -' })
  login!: string;

  @ApiProperty({ description: 'base64url, 16 bytes', example: 'FAKE-kdf-salt-AAAAAAAA' })
  @IsString()
  @Matches(B64U_16, { message: 'must be 16 bytes in base64url' })
  kdfSalt!: string;

  @ApiProperty({
    description: 'base64url, 32 bytes; stored only as an Argon2id hash',
    example: 'FAKE-auth-key-AAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  authKey!: string;

  @ApiProperty({
    description: 'X25519 public key, base64url',
    example: 'FAKE-box-public-key-AAAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  boxPk!: string;

  @ApiProperty({
    description: 'Ed25519 public key, base64url',
    example: 'FAKE-sign-public-key-AAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @Matches(B64U_32, { message: 'must be 32 bytes in base64url' })
  signPk!: string;

  @ApiProperty({
    description: 'b64u(nonce || aead(boxSk || signSeed)) under encKey',
    example:
      'FAKE-protected-secret-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @Matches(B64U_PROTECTED, { message: 'must be 104 bytes in base64url' })
  protectedSecret!: string;

  @ApiProperty({
    description: 'base32 TOTP secret (20 bytes) the client showed to the authenticator app',
    example: 'FAKESECRETFAKESECRETFAKESECRET22',
  })
  @IsString()
  @Matches(TOTP_SECRET_PATTERN, { message: 'must be 32 base32 characters (20 bytes)' })
  totpSecret!: string;

  @ApiProperty({ description: 'a current code from the authenticator app', example: '123456' })
  @IsString()
  @Matches(TOTP_CODE_PATTERN, { message: 'must be 6 digits' })
  totpCode!: string;
}

export class RegisterResponse {
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b' }) staffId!: string;
  @ApiProperty({ example: 'farid.k' }) login!: string;
  @ApiProperty({ enum: STAFF_ROLES, example: 'caseworker' }) role!: StaffRole;
  @ApiProperty({
    enum: STAFF_STATUSES,
    description: '`pending_vetting` until a second admin approves',
    example: 'pending_vetting',
  })
  status!: StaffStatus;
  @ApiProperty({
    type: [String],
    description: 'shown once; keep them offline',
    example: ['ABCD-EFGH-JKLM-NPQR', 'STUV-WXYZ-2345-6789'],
  })
  recoveryCodes!: string[];
}

export class TeamRef {
  @ApiProperty({ format: 'uuid', example: '8c1e3f2b-4e6f-4d9a-8b1a-5f6a7b2c3d4e' }) id!: string;
  @ApiProperty({ example: 'Berlin desk' }) name!: string;
}

export class MeResponse {
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b' }) staffId!: string;
  @ApiProperty({ example: 'farid.k' }) login!: string;
  @ApiProperty({ example: 'Farid K.' }) label!: string;
  @ApiProperty({ enum: STAFF_ROLES, example: 'caseworker' }) role!: StaffRole;
  @ApiProperty({ enum: STAFF_STATUSES, example: 'active' }) status!: StaffStatus;
  @ApiProperty({ type: [TeamRef] }) teams!: TeamRef[];
  @ApiProperty({ example: 'FAKE-kdf-salt-AAAAAAAA' }) kdfSalt!: string;
  @ApiProperty({ example: 'FAKE-box-public-key-AAAAAAAAAAAAAAAAAAAAAAA' }) boxPk!: string;
  @ApiProperty({ example: 'FAKE-sign-public-key-AAAAAAAAAAAAAAAAAAAAAA' }) signPk!: string;
  @ApiProperty({
    description: 'opens only with encKey on the staff member’s device',
    example:
      'FAKE-protected-secret-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  protectedSecret!: string;
}
