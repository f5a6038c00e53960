/** Staff roles (G6: least privilege). Admins manage people and rules but read no case content. */
export const StaffRole = {
  Admin: 'admin',
  Supervisor: 'supervisor',
  Caseworker: 'caseworker',
} as const;
export type StaffRole = (typeof StaffRole)[keyof typeof StaffRole];
export const STAFF_ROLES: readonly StaffRole[] = Object.values(StaffRole);

/** Who is making a request, once their session token has been checked. */
export type Principal =
  | { readonly kind: 'reporter'; readonly reporterId: string; readonly sessionId: string }
  | {
      readonly kind: 'staff';
      readonly staffId: string;
      readonly role: StaffRole;
      readonly sessionId: string;
    };

/**
 * What an endpoint requires. Every endpoint declares exactly one (the API refuses undeclared
 * endpoints): public, a signed-in reporter, or signed-in staff with one of the listed roles.
 */
export type AccessPolicy =
  | { readonly kind: 'public' }
  | { readonly kind: 'reporter' }
  | { readonly kind: 'staff'; readonly roles: readonly StaffRole[] };

/** The access decision, as a pure function (the guard only gathers its inputs). */
export function accessDecision(
  policy: AccessPolicy | undefined,
  principal: Principal | null,
): 'allow' | 'unauthenticated' | 'forbidden' | 'undeclared' {
  if (!policy) return 'undeclared';
  switch (policy.kind) {
    case 'public':
      return 'allow';
    case 'reporter':
      if (!principal) return 'unauthenticated';
      return principal.kind === 'reporter' ? 'allow' : 'forbidden';
    case 'staff':
      if (!principal) return 'unauthenticated';
      return principal.kind === 'staff' && policy.roles.includes(principal.role) ? 'allow' : 'forbidden';
  }
}
