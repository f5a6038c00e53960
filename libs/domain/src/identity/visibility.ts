import { StaffRole } from '../principal';

/** What the case-visibility rule needs to know about a staff member. */
export interface Viewer {
  readonly staffId: string;
  readonly role: StaffRole;
  readonly teamIds: readonly string[];
}

/** What it needs to know about a case (routing only, never contents). */
export interface CaseRouting {
  readonly teamId: string | null;
  readonly assigneeIds: readonly string[];
}

/**
 * Least privilege (G6): admins manage people and rules and see no case at all; supervisors see
 * every case of their teams; caseworkers see cases routed to their teams or assigned to them.
 */
export function canSeeCase(viewer: Viewer, c: CaseRouting): boolean {
  switch (viewer.role) {
    case StaffRole.Admin:
      return false;
    case StaffRole.Supervisor:
      return c.teamId !== null && viewer.teamIds.includes(c.teamId);
    case StaffRole.Caseworker:
      return (
        (c.teamId !== null && viewer.teamIds.includes(c.teamId)) || c.assigneeIds.includes(viewer.staffId)
      );
  }
}

/** Only supervisors assign cases, and only within their teams. */
export function canAssignCase(viewer: Viewer, c: CaseRouting): boolean {
  return viewer.role === StaffRole.Supervisor && canSeeCase(viewer, c);
}
