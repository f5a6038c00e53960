import { Body, Controller, Delete, Header, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { DomainError, ErrorCode, type Principal } from '@panah/domain';
import { ReporterAuthService } from '@panah/intake';
import { CurrentPrincipal, Public, RateLimiter, RateLimitRule, ReporterOnly } from '@panah/security';
import { clientBucket } from './client-bucket';
import { RegisterReporterDto, SignInChallengeDto, SignInDto } from './dto';
import { ApiErrors } from '../http/api-errors';

const HOUR = 3_600_000;
const REGISTER_PER_SOURCE: RateLimitRule = { name: 'reporter-register-source', limit: 30, windowMs: HOUR };
const REGISTER_GLOBAL: RateLimitRule = { name: 'reporter-register-all', limit: 2_000, windowMs: HOUR };
const SIGNIN_PER_SOURCE: RateLimitRule = {
  name: 'reporter-signin-source',
  limit: 120,
  windowMs: 15 * 60_000,
};
const SIGNIN_PER_KEY: RateLimitRule = { name: 'reporter-signin-key', limit: 20, windowMs: 15 * 60_000 };

@ApiTags('reporters')
@Controller('reporters')
export class ReportersController {
  constructor(
    private readonly auth: ReporterAuthService,
    private readonly limiter: RateLimiter,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {}

  /** A proof-of-work challenge for registration (stateless: nothing is stored until it is used). */
  @Post('pow-challenges')
  @Public()
  @HttpCode(201)
  powChallenge(): ReturnType<ReporterAuthService['issuePowChallenge']> {
    return this.auth.issuePowChallenge();
  }

  /** Registers the public keys derived from an access code (and optionally a duress code). */
  @Post()
  @ApiErrors({
    400: ['request/validation_failed: `reporter/bad_public_key`, a public key is not 32 bytes in base64url'],
    429: [
      'request/rate_limited: `rate/limited`, too many registrations from this address; retry after the seconds in `fields[0].message`',
    ],
  })
  @Public()
  async register(
    @Body() body: RegisterReporterDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ reporterId: string }> {
    await this.limit(REGISTER_PER_SOURCE, clientBucket(req, this.config.tokenKey));
    await this.limit(REGISTER_GLOBAL, 'all');
    const result = await this.auth.register(body);
    res.status(result.created ? 201 : 200);
    return { reporterId: result.reporterId };
  }

  /** A sign-in challenge, issued for any reporter id, known or not. */
  @Post('challenges')
  @Public()
  @HttpCode(201)
  async challenge(
    @Body() body: SignInChallengeDto,
    @Req() req: Request,
  ): Promise<{ challenge: string; expiresAt: string }> {
    await this.limit(SIGNIN_PER_SOURCE, clientBucket(req, this.config.tokenKey));
    return this.auth.issueSignInChallenge(body.reporterId);
  }

  /** Exchanges a signed challenge for a short-lived session token (`Bearer pr_…`). */
  @Post('sessions')
  @Public()
  @HttpCode(201)
  async signIn(@Body() body: SignInDto, @Req() req: Request): Promise<{ token: string; expiresAt: string }> {
    await this.limit(SIGNIN_PER_SOURCE, clientBucket(req, this.config.tokenKey));
    await this.limit(
      SIGNIN_PER_KEY,
      clientBucket({ socket: { remoteAddress: `key:${body.reporterId}` } } as Request, this.config.tokenKey),
    );
    return this.auth.signIn(body.reporterId, body.challenge, body.signature);
  }

  /** Ends the current session (a phone about to be handed over). */
  @Delete('sessions/current')
  // The reporter web client leaves nothing on the phone (DESIGN "The clients").
  @Header('Clear-Site-Data', '"cache", "cookies", "storage"')
  @ReporterOnly()
  @ApiBearerAuth()
  @HttpCode(204)
  async signOut(@CurrentPrincipal() principal: Principal | null): Promise<void> {
    if (principal?.kind === 'reporter') await this.auth.signOut(principal.sessionId);
  }

  private async limit(rule: RateLimitRule, key: string): Promise<void> {
    const result = await this.limiter.hit(rule, key);
    if (!result.allowed) {
      throw new DomainError(
        ErrorCode.RateLimited,
        'Too many attempts; try again later',
        [{ path: '', message: `retry after ${Math.ceil(result.retryAfterMs / 1000)} s` }],
        'rate/limited',
      );
    }
  }
}
