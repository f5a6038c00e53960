import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { StaffRepository } from '@panah/identity';
import {
  DomainError,
  ErrorCode,
  type FieldProblem,
  isTimeZone,
  onCallAt,
  StaffRole,
  validationError,
} from '@panah/domain';
import { OnCallScheduleRepository } from './oncall-schedule.repository';

/** Who changes a schedule: an admin, or a supervisor of that team. */
export interface OnCallActor {
  readonly staffId: string;
  readonly role: StaffRole;
}

export interface ScheduleInput {
  readonly timeZone: string;
  readonly handoffTime: string;
  readonly rotationStart: string;
  readonly members: readonly string[];
}

/** A team's weekly on-call rotation and its overrides (audited). */
@Injectable()
export class OnCallSchedules {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly staff: StaffRepository,
    private readonly schedules: OnCallScheduleRepository,
  ) {}

  /**
   * G6: a supervisor manages only the schedules of their own teams (admins any team's); a team's
   * schedule names only its own active members, and never an admin (admins see no case content,
   * so they are never the one alerted). Refused before anything is written.
   */
  private async mayManage(m: EntityManager, teamId: string, actor: OnCallActor): Promise<void> {
    if (!(await this.staff.existingTeamIds(m, [teamId])).has(teamId))
      throw new DomainError(ErrorCode.NotFound, 'No such team');
    if (actor.role === StaffRole.Admin) return;
    // Not a member: the team's schedule is none of their business, and its existence is not confirmed.
    if (!(await this.staff.isMemberOf(m, actor.staffId, teamId)))
      throw new DomainError(ErrorCode.NotFound, 'No such team');
  }

  /** The ids among `staffIds` that are active, non-admin members of the team. */
  private eligible(m: EntityManager, teamId: string, staffIds: readonly string[]): Promise<Set<string>> {
    return this.staff.onCallEligibleAmong(m, teamId, staffIds);
  }

  async set(teamId: string, input: ScheduleInput, actor: OnCallActor): Promise<{ id: string }> {
    const actorId = actor.staffId;
    const problems: FieldProblem[] = [];
    if (!isTimeZone(input.timeZone))
      problems.push({ path: 'timeZone', message: 'must be an IANA time zone' });
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(input.handoffTime))
      problems.push({ path: 'handoffTime', message: 'must be HH:mm' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.rotationStart) || Number.isNaN(Date.parse(input.rotationStart)))
      problems.push({ path: 'rotationStart', message: 'must be yyyy-MM-dd' });
    if (problems.length > 0) throw validationError(problems);
    return this.dataSource.transaction(async (m) => {
      await this.mayManage(m, teamId, actor);
      const ok = await this.eligible(m, teamId, input.members);
      const bad = input.members.map((id, i) => ({ id, i })).filter((x) => !ok.has(x.id));
      if (bad.length > 0)
        throw validationError(
          bad.map((b) => ({
            path: `members[${b.i}]`,
            message: 'is not an active member of the team (admins are never on call)',
          })),
        );
      const id = await this.schedules.upsert(m, { id: randomUUID(), teamId, ...input });
      await this.audit.append(m, {
        actorType: 'staff',
        actorId,
        action: 'oncall.schedule_set',
        targetType: 'team',
        targetId: teamId,
        details: { members: input.members.length },
      });
      return { id };
    });
  }

  async addOverride(
    teamId: string,
    input: { staffId: string; startsAt: Date; endsAt: Date },
    actor: OnCallActor,
  ): Promise<{ id: string }> {
    const actorId = actor.staffId;
    if (!(input.endsAt > input.startsAt))
      throw validationError([{ path: 'endsAt', message: 'must be after startsAt' }]);
    return this.dataSource.transaction(async (m) => {
      await this.mayManage(m, teamId, actor);
      const scheduleId = await this.schedules.idForTeam(m, teamId);
      if (scheduleId === null) throw new DomainError(ErrorCode.NotFound, 'The team has no on-call schedule');
      if (!(await this.eligible(m, teamId, [input.staffId])).has(input.staffId)) {
        throw validationError([
          { path: 'staffId', message: 'is not an active member of the team (admins are never on call)' },
        ]);
      }
      const id = randomUUID();
      await this.schedules.insertOverride(m, { id, scheduleId, ...input });
      await this.audit.append(m, {
        actorType: 'staff',
        actorId,
        action: 'oncall.override_added',
        targetType: 'team',
        targetId: teamId,
        details: { overrideId: id },
      });
      return { id };
    });
  }

  /**
   * Who is on call for the team at `at`, as the escalation directory resolves it: a rotation member
   * or override naming someone no longer eligible (an admin since, suspended, moved team) is passed
   * over, so the page and the alert agree (G6: admins are never on call).
   */
  async whoIsOnCall(teamId: string, at: Date): Promise<string | null> {
    const m = this.dataSource.manager;
    const schedule = await this.schedules.scheduleOf(m, teamId, at);
    if (!schedule) throw new DomainError(ErrorCode.NotFound, 'The team has no on-call schedule');
    const named = [...new Set([...schedule.members, ...schedule.overrides.map((o) => o.staffId)])];
    const eligible = await this.eligible(m, teamId, named);
    return onCallAt(schedule, at, (id) => eligible.has(id));
  }
}
