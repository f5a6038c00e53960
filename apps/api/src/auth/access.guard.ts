import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AccessPolicy, accessDecision, DomainError, ErrorCode, Principal } from '@panah/domain';
import { ACCESS_POLICY } from '@panah/security';
import { SessionResolvers } from './session-resolvers';

/** `Authorization: Bearer <token>`; anything else counts as no token. */
export function bearerToken(req: Pick<Request, 'headers'>): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const m = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header);
  return m ? m[1] : null;
}

/** The global guard: resolves the caller's session and applies the endpoint's declared policy. */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionResolvers,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal | null }>();
    const token = bearerToken(req);
    const principal = token ? await this.sessions.resolve(token) : null;
    req.principal = principal;
    switch (accessDecision(policy, principal)) {
      case 'allow':
        return true;
      case 'unauthenticated':
        throw new DomainError(ErrorCode.Unauthenticated, 'A valid session is required');
      case 'forbidden':
        throw new DomainError(ErrorCode.Forbidden, 'Not allowed for this account');
      case 'undeclared':
        this.logger.error(
          { handler: `${context.getClass().name}.${context.getHandler().name}` },
          'endpoint has no access policy',
        );
        throw new DomainError(ErrorCode.Forbidden, 'Not allowed');
    }
  }
}
