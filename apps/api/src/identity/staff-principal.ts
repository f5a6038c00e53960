import { DomainError, ErrorCode, Principal, StaffRole } from '@panah/domain';

export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** The guard already enforced a staff policy; this narrows the type and fails closed if it did not. */
export function staffOf(principal: Principal | null): StaffPrincipal {
  if (!principal || principal.kind !== 'staff')
    throw new DomainError(ErrorCode.Unauthenticated, 'A valid session is required');
  return principal;
}

export const ALL_STAFF: [StaffRole, ...StaffRole[]] = [
  StaffRole.Admin,
  StaffRole.Supervisor,
  StaffRole.Caseworker,
];

export function actorFacts(p: StaffPrincipal): { id: string; role: StaffRole } {
  return { id: p.staffId, role: p.role };
}
