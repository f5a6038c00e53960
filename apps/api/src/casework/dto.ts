import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, IsUUID } from 'class-validator';

/** OpenAPI shapes of case work (issue 15). Binary fields are base64url without padding (crypto-v1). */
export class EnvelopeRecipientDto {
  @ApiProperty({
    description: 'kid of the recipient X25519 public key (16 bytes b64u)',
    example: 'FAKE-kid-AAAAAAAAAAAAA',
  })
  kid!: string;
  @ApiProperty({
    description: 'crypto_box_seal(K, pk), 80 bytes b64u',
    example:
      'FAKE-wrapped-key-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  wk!: string;
}

export class EnvelopeAuthorDto {
  @ApiProperty({ description: 'kid of the author Ed25519 public key', example: 'FAKE-author-kid-AAAAAA' })
  kid!: string;
  @ApiProperty({
    description: 'Ed25519 signature over ad || 0x00 || nonce || ct || 0x00 || rh (64 bytes b64u)',
    example: 'FAKE-signature-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  sig!: string;
}

export class EnvelopeDto {
  @ApiProperty({
    enum: [2],
    description: 'envelope version; v1 is refused (envelope/v1_retired)',
    example: 2,
  })
  v!: number;
  @ApiProperty({ enum: ['report', 'message', 'note', 'checkin'], example: 'message' }) kind!: string;
  @ApiProperty({
    format: 'uuid',
    description: 'equals the resource id',
    example: '0b5f8c2e-7d1a-4c3b-9e6f-1a2b3c4d5e6f',
  })
  id!: string;
  @ApiProperty({ description: '24 bytes b64u', example: 'FAKE-nonce-AAAAAAAAAAAAAAAAAAAAA' }) nonce!: string;
  @ApiProperty({
    description: 'XChaCha20-Poly1305 ciphertext, b64u',
    example: 'FAKE-ciphertext-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  })
  ct!: string;
  @ApiProperty({ type: [EnvelopeRecipientDto], minItems: 1, maxItems: 64 })
  recipients!: EnvelopeRecipientDto[];
  @ApiProperty({ type: EnvelopeAuthorDto }) author!: EnvelopeAuthorDto;
}

export class PutEnvelopeDto {
  @ApiProperty({ type: EnvelopeDto, description: 'crypto-v1 envelope v2 whose id is the resource id' })
  @IsObject()
  envelope!: Record<string, unknown>;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid', example: '0b5f8c2e-7d1a-4c3b-9e6f-1a2b3c4d5e6f' }) id!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '5b1f0c4e-2a7d-4f0e-9a51-0c7d2b9e8f11',
  })
  caseId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null }) reportId!: string | null;
  @ApiProperty({ enum: ['staff', 'reporter'], example: 'staff' }) from!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'staff author (null for a reporter message)',
    example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
  })
  authorStaffId!: string | null;
  @ApiProperty({ type: EnvelopeDto }) envelope!: EnvelopeDto;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T21:05:00.000Z' }) createdAt!: string;
}

export class NoteDto {
  @ApiProperty({ format: 'uuid', example: '0b5f8c2e-7d1a-4c3b-9e6f-1a2b3c4d5e6f' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '5b1f0c4e-2a7d-4f0e-9a51-0c7d2b9e8f11' }) caseId!: string;
  @ApiProperty({ format: 'uuid', example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11' }) authorStaffId!: string;
  @ApiProperty({ type: EnvelopeDto }) envelope!: EnvelopeDto;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T21:05:00.000Z' }) createdAt!: string;
}

export class KeyRefDto {
  @ApiProperty({ description: 'kid of the X25519 public key', example: 'FAKE-box-kid-AAAAAAAAA' })
  kid!: string;
  @ApiProperty({
    description: 'X25519 public key, 32 bytes b64u',
    example: 'FAKE-box-public-key-AAAAAAAAAAAAAAAAAAAAAAA',
  })
  pk!: string;
  @ApiProperty({ example: 'Farid K.' }) label!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
  })
  staffId!: string | null;
  @ApiProperty({ enum: ['reporter', 'staff', 'recovery'], example: 'staff' }) role!: string;
}

export class CaseRecipientsDto {
  @ApiProperty({
    type: [KeyRefDto],
    description:
      "seal a staff message to these: the reporter's box key and the caller's are required, the other readers' are optional",
  })
  message!: KeyRefDto[];
  @ApiProperty({
    type: [KeyRefDto],
    description:
      "seal a note to these: the caller's and the recovery keys are required, the other readers' are optional",
  })
  note!: KeyRefDto[];
}

export class StaffKeyDto {
  @ApiProperty({ format: 'uuid', example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11' }) staffId!: string;
  @ApiProperty({ example: 'Farid K.' }) label!: string;
  @ApiProperty({ enum: ['admin', 'supervisor', 'caseworker'], example: 'caseworker' }) role!: string;
  @ApiProperty({ description: 'active, suspended, offboarded, …', example: 'active' }) status!: string;
  @ApiProperty({ example: 'FAKE-box-kid-AAAAAAAAA' }) boxKid!: string;
  @ApiProperty({
    description: 'X25519 public key b64u',
    example: 'FAKE-box-public-key-AAAAAAAAAAAAAAAAAAAAAAA',
  })
  boxPk!: string;
  @ApiProperty({
    description: 'kid of signPk: what a staff envelope names as author.kid',
    example: 'FAKE-sign-kid-AAAAAAAA',
  })
  signKid!: string;
  @ApiProperty({
    description: 'Ed25519 public key b64u',
    example: 'FAKE-sign-public-key-AAAAAAAAAAAAAAAAAAAAAA',
  })
  signPk!: string;
  @ApiProperty({
    type: [String],
    description: 'teams the person works in (a hand-over seals grants to the new team’s members)',
    example: ['0d6f3a2b-8c1e-4b7a-9f2d-3e4c5b6a7d8e'],
  })
  teamIds!: string[];
}

export class StaffKeyListDto {
  @ApiProperty({ type: [StaffKeyDto] }) items!: StaffKeyDto[];
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto] }) items!: MessageDto[];
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}

const GRANT_EXAMPLE = {
  envelopeId: '0b5f8c2e-7d1a-4c3b-9e6f-1a2b3c4d5e6f',
  kid: '-3LRDwnUqrfZQFWYzrF0_w',
  wk: '35ROK3Efx-lapMOH7l1vpNUreSX7GRiojAV6uhVRH1WKCf6hUHEeGRacRwkPtX-b_X0oxAB7e41onT-0HkXaZ87KmZ86keV5uKDYeAp1J0Y',
  by: 'Ei0IuoZnCwGpe0_3L54qnA',
  sig: 'mKVWQqCpe_XJpRx95bjpQJsR8FXy2iCfrHgx7cntxGJ7qD-IvcR4kzkpd25_mmt-G43a7h2HMSf72kUGBU0qBQ',
};

export class GrantInputDto {
  @ApiProperty({
    format: 'uuid',
    example: GRANT_EXAMPLE.envelopeId,
    description: 'a report, message or note of this case',
  })
  envelopeId!: string;
  @ApiProperty({ example: GRANT_EXAMPLE.kid, description: 'kid of the new reader box key' }) kid!: string;
  @ApiProperty({ example: GRANT_EXAMPLE.wk, description: 'crypto_box_seal(K, pk), 80 bytes b64u' })
  wk!: string;
  @ApiProperty({ example: GRANT_EXAMPLE.by, description: 'kid of your own sign key' }) by!: string;
  @ApiProperty({
    example: GRANT_EXAMPLE.sig,
    description:
      'crypto_sign_detached(utf8("panah/v1/grant/" + envelopeId + "/" + kid + "\\n") || wk, yourSignSk)',
  })
  sig!: string;
}

export class AssignCaseDto {
  @ApiProperty({
    format: 'uuid',
    example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
    description: 'an active supervisor or caseworker of the case team',
  })
  @IsUUID('all')
  assigneeId!: string;
  @ApiPropertyOptional({
    type: [GrantInputDto],
    example: [GRANT_EXAMPLE],
    description: "grants of the case's envelopes for the assignee (crypto-v1 §10)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  grants?: unknown[];
}

export class HandOverCaseDto {
  @ApiProperty({ format: 'uuid', example: '0d6f3a2b-8c1e-4b7a-9f2d-3e4c5b6a7d8e' })
  @IsUUID('all')
  teamId!: string;
  @ApiPropertyOptional({
    format: 'uuid',
    example: '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11',
    description: 'an active supervisor or caseworker of the new team',
  })
  @IsOptional()
  @IsUUID('all')
  assigneeId?: string;
  @ApiPropertyOptional({
    type: [GrantInputDto],
    example: [GRANT_EXAMPLE],
    description: 'grants for the new readers',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  grants?: unknown[];
}

export class GrantsDto {
  @ApiProperty({ type: [GrantInputDto], example: [GRANT_EXAMPLE] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(256)
  grants!: unknown[];
}

export class GrantsStoredDto {
  @ApiProperty({
    example: 3,
    description: 'grants that were new (a grant already held for the same envelope and key is kept)',
  })
  stored!: number;
}
