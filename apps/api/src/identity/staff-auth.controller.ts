import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Inject } from '@nestjs/common';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { type Principal, validationError } from '@panah/domain';
import { StaffLogin, StaffProfile, StaffRegistration } from '@panah/identity';
import { CurrentPrincipal, dailyKeyedHash, Public, StaffOnly } from '@panah/security';
import {
  LoginDto,
  LoginResponse,
  MeResponse,
  PreloginDto,
  PreloginResponse,
  RegisterDto,
  RegisterResponse,
} from './staff-auth.dto';
import { ALL_STAFF, staffOf } from './staff-principal';

/** Staff sign-in, registration and the signed-in staff member's own account. */
@ApiTags('staff')
@Controller('staff')
export class StaffAuthController {
  constructor(
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly login: StaffLogin,
    private readonly registration: StaffRegistration,
    private readonly profile: StaffProfile,
  ) {}

  @Post('prelogin')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'kdf parameters for a login (a stable fake salt for unknown logins)' })
  @ApiOkResponse({ type: PreloginResponse })
  prelogin(@Body() body: PreloginDto): Promise<PreloginResponse> {
    return this.login.prelogin(body.login);
  }

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'sign in with authKey and a TOTP (or recovery) code; every failure is the same 401',
    description:
      'Past LOGIN_FREE_ATTEMPTS attempts for a login name from one source (or many from anywhere), the answer is ' +
      '401 with reason `login/pow_required` and `pow` (a challenge, crypto-v1 §7): solve it and send the same ' +
      'sign-in again with `pow: {challenge, nonce}`. Nobody is ever locked out.',
  })
  @ApiOkResponse({ type: LoginResponse })
  async signIn(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResponse> {
    if ((body.totpCode === undefined) === (body.recoveryCode === undefined)) {
      throw validationError([
        { path: 'totpCode', message: 'exactly one of totpCode and recoveryCode is required' },
      ]);
    }
    // G2: the address only ever becomes a daily keyed hash for a rate-limit bucket; never stored or logged.
    // req.ip is the socket's address unless TRUST_PROXY names the reverse proxy in front.
    const sourceKey = dailyKeyedHash(
      `staff-login-source\n${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`,
      this.config.tokenKey,
    );
    const result = await this.login.login({ ...body, sourceKey });
    return {
      token: result.token,
      staffId: result.staffId,
      role: result.role,
      expiresAt: result.expiresAt.toISOString(),
    };
  }

  @Post('register')
  @Public()
  @ApiOperation({
    summary: 'register with an invitation (→ pending_vetting) or a bootstrap setup token (→ active admin)',
  })
  @ApiCreatedResponse({ type: RegisterResponse })
  register(@Body() body: RegisterDto): Promise<RegisterResponse> {
    return this.registration.register(body);
  }

  @Post('logout')
  @StaffOnly(...ALL_STAFF)
  @ApiBearerAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'end this session' })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() principal: Principal | null): Promise<void> {
    const staff = staffOf(principal);
    await this.profile.logout(staff.staffId, staff.sessionId);
  }

  @Get('me')
  @StaffOnly(...ALL_STAFF)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'the signed-in staff member, with what their client needs to unlock their keys' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentPrincipal() principal: Principal | null): Promise<MeResponse> {
    return this.profile.me(staffOf(principal).staffId);
  }
}
