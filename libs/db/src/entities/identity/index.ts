import { AuditChainHead, AuditEntry } from './audit-entry.entity';
import { Staff } from './staff.entity';
import { StaffInvitation } from './staff-invitation.entity';
import { StaffRecoveryCode } from './staff-recovery-code.entity';
import { StaffSession } from './staff-session.entity';
import { StaffTeam } from './staff-team.entity';
import { StaffTeamRequest } from './staff-team-request.entity';
import { Team } from './team.entity';

export {
  AuditChainHead,
  AuditEntry,
  Staff,
  StaffInvitation,
  StaffRecoveryCode,
  StaffSession,
  StaffTeam,
  StaffTeamRequest,
  Team,
};

/** Staff identity and the audit log. */
export const identityEntities = [
  Team,
  Staff,
  StaffTeam,
  StaffTeamRequest,
  StaffInvitation,
  StaffSession,
  StaffRecoveryCode,
  AuditEntry,
  AuditChainHead,
];
