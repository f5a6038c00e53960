import { Injectable } from '@nestjs/common';
import type { Principal } from '@panah/domain';
import { TokenKind, tokenKind } from '@panah/security';

/** Turns a session token into its principal, or null if unknown, expired, revoked or suspended. */
export interface SessionResolver {
  resolve(token: string): Promise<Principal | null>;
}

/**
 * Session resolvers by token kind. Capability modules register theirs at init (staff sessions
 * from identity, reporter sessions from intake), so the guard depends on no capability.
 */
@Injectable()
export class SessionResolvers {
  private readonly resolvers = new Map<TokenKind, SessionResolver>();

  register(kind: TokenKind, resolver: SessionResolver): void {
    if (this.resolvers.has(kind)) throw new Error(`a session resolver for ${kind} is already registered`);
    this.resolvers.set(kind, resolver);
  }

  async resolve(token: string): Promise<Principal | null> {
    const kind = tokenKind(token);
    const resolver = kind ? this.resolvers.get(kind) : undefined;
    return resolver ? resolver.resolve(token) : null;
  }
}
