import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AccessPolicy, Principal, StaffRole } from '@panah/domain';

export const ACCESS_POLICY = 'panah:access-policy';

/**
 * Every endpoint declares who may call it, with exactly one of these (on the method, or on the
 * controller for all its methods). An endpoint without one is refused with 403 and fails the
 * access-matrix test, so forgetting is loud.
 */
export const Public = () => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy);
export const ReporterOnly = () => SetMetadata(ACCESS_POLICY, { kind: 'reporter' } satisfies AccessPolicy);
export const StaffOnly = (...roles: [StaffRole, ...StaffRole[]]) =>
  SetMetadata(ACCESS_POLICY, { kind: 'staff', roles } satisfies AccessPolicy);

/** The authenticated caller, as the AccessGuard attached it. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | null => {
    return ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal ?? null;
  },
);
