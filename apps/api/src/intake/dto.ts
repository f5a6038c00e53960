import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * A reporter id is kid(signPk) (crypto-v1 §3): 16 bytes in base64url, 22 characters. Anything else
 * (empty, blank, a NUL, another length) names no reporter and is refused as a bad field, not
 * signed, rate-limited or looked up.
 */
const REPORTER_ID = /^[A-Za-z0-9_-]{22}$/;
const REPORTER_ID_MESSAGE = 'must be a reporter id: kid(signPk), 22 base64url characters';

/** Public keys derived from an access code (crypto-v1 §3), base64url. */
export class PublicKeysDto {
  @ApiProperty({
    description: 'Ed25519 public key, 32 bytes b64u',
    example: 'FAKE-sign-public-key-AAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @MaxLength(64)
  signPk!: string;
  @ApiProperty({
    description: 'X25519 public key, 32 bytes b64u',
    example: 'FAKE-box-public-key-AAAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @MaxLength(64)
  boxPk!: string;
}

export class ProofOfWorkDto {
  @ApiProperty({
    description: 'challenge from POST /v1/reporters/pow-challenges',
    example: 'FAKE-pow-challenge-AAAAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @MaxLength(64)
  challenge!: string;
  @ApiProperty({
    description: 'b64u bytes such that SHA-256(challenge || nonce) has `difficulty` leading zero bits',
    example: 'FAKE-nonce',
  })
  @IsString()
  @MaxLength(128)
  nonce!: string;
}

/** Duress keys and the reporter's choice of what a duress session shows (issue 8). */
export class DuressKeysDto extends PublicKeysDto {
  @ApiPropertyOptional({
    description: 'may a duress session see the real reports and messages? (default false: it sees none)',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  showReports?: boolean;
}

export class RegisterReporterDto extends PublicKeysDto {
  @ApiPropertyOptional({
    type: DuressKeysDto,
    description: 'keys of a duress code: signing in with it raises a silent alert',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DuressKeysDto)
  duress?: DuressKeysDto;

  @ApiProperty({ type: ProofOfWorkDto }) @ValidateNested() @Type(() => ProofOfWorkDto) pow!: ProofOfWorkDto;
}

export class SignInChallengeDto {
  @ApiProperty({
    description: 'kid(signPk) of the keys derived from the access code',
    example: 'FAKE-reporter-AAAAAAAA',
    pattern: REPORTER_ID.source,
  })
  @IsString()
  @Matches(REPORTER_ID, { message: REPORTER_ID_MESSAGE })
  reporterId!: string;
}

export class SignInDto {
  @ApiProperty({ example: 'FAKE-reporter-AAAAAAAA', pattern: REPORTER_ID.source })
  @IsString()
  @Matches(REPORTER_ID, { message: REPORTER_ID_MESSAGE })
  reporterId!: string;
  @ApiProperty({ example: 'FAKE-signin-challenge-AAAAAAAAAAAAAAAAAAAAA' })
  @IsString()
  @MaxLength(64)
  challenge!: string;
  @ApiProperty({
    description: 'b64u(crypto_sign_detached(utf8("panah/v1/auth/") || challenge, signSk))',
    example: 'FAKE-signature-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  @IsString()
  @MaxLength(128)
  signature!: string;
}

export class SubmitReportDto {
  @ApiProperty({ description: 'crypto-v1 envelope of kind "report" whose id is the report id' })
  @IsObject()
  envelope!: Record<string, unknown>;
  @ApiPropertyOptional({
    description:
      'Optional triage hints in the clear: category, imminence, country (ISO 3166-1 alpha-2), perpetrator, namedOnList, language. Encrypted at rest on arrival.',
  })
  @Allow()
  hints?: unknown;
}

export class PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
