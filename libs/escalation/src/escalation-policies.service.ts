import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { StaffRepository } from '@panah/identity';
import {
  type AlertSeverity,
  DomainError,
  ErrorCode,
  EscalationReason,
  type PolicyDefinition,
  policyDefinitionSchema,
  simulate,
  type SimulatedEvent,
  validatePolicy,
} from '@panah/domain';
import { loadDirectory, policyTargets } from './directory.repository';
import { OnCallScheduleRepository } from './oncall-schedule.repository';
import { PolicyRepository } from './policy.repository';

export interface PolicyView {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly definition: PolicyDefinition;
  readonly updatedAt: string;
}

/**
 * Escalation policies for admins. Every change writes a new immutable version (runs keep theirs)
 * and an audit entry, in one transaction; targets are checked against the directory so a policy
 * can never name somebody who does not exist.
 */
@Injectable()
export class EscalationPolicies {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly staffRows: StaffRepository,
    private readonly policies: PolicyRepository,
    private readonly schedules: OnCallScheduleRepository,
  ) {}

  async create(name: string, definition: unknown, actorId: string): Promise<PolicyView> {
    return this.dataSource.transaction(async (m) => {
      const policy = await this.validate(m, definition);
      const id = randomUUID();
      if (await this.policies.nameTaken(m, name))
        throw new DomainError(ErrorCode.Conflict, 'A policy with this name exists', [
          { path: 'name', message: 'is taken' },
        ]);
      await this.policies.insert(m, { id, name, definition: policy, createdBy: actorId });
      await this.audit.append(m, {
        actorType: 'staff',
        actorId,
        action: 'escalation_policy.created',
        targetType: 'escalation_policy',
        targetId: id,
        details: { version: 1, steps: policy.steps.length },
      });
      return this.view(m, id);
    });
  }

  /** A new version; `expectedVersion` (optional) refuses to overwrite someone else's edit. */
  async update(
    id: string,
    definition: unknown,
    actorId: string,
    expectedVersion?: number,
  ): Promise<PolicyView> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.policies.lockCurrentVersion(m, id);
      if (current === null) throw new DomainError(ErrorCode.NotFound, 'No such policy');
      if (expectedVersion !== undefined && expectedVersion !== current) {
        throw new DomainError(
          ErrorCode.Conflict,
          `The policy is at version ${current}`,
          [{ path: 'expectedVersion', message: 'is not the current version' }],
          EscalationReason.PolicyVersionConflict,
        );
      }
      const policy = await this.validate(m, definition);
      const version = current + 1;
      await this.policies.addVersion(m, { policyId: id, version, definition: policy, createdBy: actorId });
      await this.audit.append(m, {
        actorType: 'staff',
        actorId,
        action: 'escalation_policy.updated',
        targetType: 'escalation_policy',
        targetId: id,
        details: { version, steps: policy.steps.length },
      });
      return this.view(m, id);
    });
  }

  get(id: string): Promise<PolicyView> {
    return this.view(this.dataSource.manager, id);
  }

  async list(): Promise<PolicyView[]> {
    const ids = await this.policies.listIds(this.dataSource.manager);
    return Promise.all(ids.map((id) => this.view(this.dataSource.manager, id)));
  }

  /** The exact timeline the engine would follow, from the same `advance` and the live directory. */
  async simulate(
    id: string,
    input: { severity: AlertSeverity; startAt: Date; acknowledgements: { at: Date; by: string }[] },
  ): Promise<{
    policyVersion: number;
    finalState: string;
    events: (Omit<SimulatedEvent, 'at'> & { at: string })[];
  }> {
    const policy = await this.get(id);
    const directory = await loadDirectory(this.dataSource.manager, policy.definition, input.startAt);
    const result = simulate(policy.definition, directory, input);
    return {
      policyVersion: policy.version,
      finalState: result.finalState,
      events: result.events.map((e) => ({ ...e, at: e.at.toISOString() })),
    };
  }

  private async validate(m: EntityManager, definition: unknown): Promise<PolicyDefinition> {
    // Shape first, so the directory lookup only sees well-formed ids; then every rule at once.
    const shape = policyDefinitionSchema.safeParse(definition);
    if (!shape.success) {
      const problems = validatePolicy(definition, NONE_KNOWN, 'definition');
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'The policy is not valid',
        problems.ok ? [] : problems.problems,
        EscalationReason.PolicyInvalid,
      );
    }
    const targets = policyTargets(shape.data as PolicyDefinition);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const staff = await this.staffRows.activeIds(
      m,
      targets.staffIds.filter((x) => uuid.test(x)),
    );
    const teams = await this.staffRows.existingTeamIds(
      m,
      [...targets.teamIds, ...targets.onCallTeamIds].filter((x) => uuid.test(x)),
    );
    const onCallTeamIds = await this.schedules.teamsWithSchedule(
      m,
      targets.onCallTeamIds.filter((x) => uuid.test(x)),
    );
    const result = validatePolicy(
      definition,
      { staffIds: staff, teamIds: teams, onCallTeamIds },
      'definition',
    );
    if (!result.ok)
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'The policy is not valid',
        result.problems,
        EscalationReason.PolicyInvalid,
      );
    return result.policy;
  }

  private async view(m: EntityManager, id: string): Promise<PolicyView> {
    const r = await this.policies.current(m, id);
    if (!r) throw new DomainError(ErrorCode.NotFound, 'No such policy');
    return {
      id: r.id,
      name: r.name,
      version: r.current_version,
      definition: r.definition,
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

const NONE_KNOWN = {
  staffIds: new Set<string>(),
  teamIds: new Set<string>(),
  onCallTeamIds: new Set<string>(),
};
