import { Body, Controller, Get, HttpCode, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { SignedDirectory } from '@panah/crypto';
import { DomainError, ErrorCode, IntakeReason, type Principal } from '@panah/domain';
import { KeyDirectoryService } from '@panah/intake';
import { CurrentPrincipal, Public, StaffOnly } from '@panah/security';
import { ApiErrors } from '../http/api-errors';

@ApiTags('keys')
@Controller('keys')
export class KeysController {
  constructor(private readonly directories: KeyDirectoryService) {}

  /** The current signed key directory; clients verify it against the pinned root key. */
  @Get('directory')
  @Public()
  async directory(@Res({ passthrough: true }) res: Response): Promise<SignedDirectory> {
    const current = await this.directories.current();
    if (!current)
      throw new DomainError(
        ErrorCode.NotFound,
        'No key directory has been published yet',
        [],
        IntakeReason.NoDirectory,
      );
    res.setHeader('Cache-Control', 'no-cache');
    return current.document;
  }

  /** Publishes a directory signed offline (`panah keys directory sign`). */
  @Put('directory')
  @StaffOnly('admin')
  @ApiBearerAuth()
  // The body is the signed directory GET answers (the SignedDirectory schema, with its example).
  // It stays an untyped parameter on purpose: verifyDirectory checks it whole (version, signature,
  // payload bytes) and names what is wrong, which a DTO's validation would preempt.
  @ApiBody({
    description: 'the signed directory, as `panah keys directory sign` writes it',
    schema: { $ref: '#/components/schemas/SignedDirectory' },
  })
  @ApiErrors({
    400: [
      'request/validation_failed: `directory/rejected`, the signature, root key, payload, expiry or deployment id does not verify (`fields[0].message` says which: bad_format, bad_signature, wrong_root, bad_payload, expired, serial_rollback, wrong_deployment or empty_intake)',
    ],
    409: [
      'request/conflict: `directory/serial_conflict`, the serial is not above the current one (or a different directory has it); `directory/no_root_key`, no DIRECTORY_ROOT_PUBLIC_KEY is configured, so no directory can be published',
    ],
  })
  @HttpCode(200)
  async publish(
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ serial: string }> {
    const staffId = principal?.kind === 'staff' ? principal.staffId : null;
    const result = await this.directories.publish(body, staffId);
    res.status(result.created ? 201 : 200);
    return { serial: result.serial };
  }
}
