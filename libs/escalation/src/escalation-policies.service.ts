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
  ) {}

  async create(name: string, definition: unknown, actorId: string): Promise<PolicyView> {
    return this.dataSource.transaction(async (m) => {
      const policy = await this.validate(m, definition);
      const id = randomUUID();
      const taken = (await m.query(`SELECT 1 FROM escalation_policies WHERE name = $1`, [name])) as unknown[];
      if (taken.length > 0)
        throw new DomainError(ErrorCode.Conflict, 'A policy with this name exists', [
          { path: 'name', message: 'is taken' },
        ]);
      await m.query(`INSERT INTO escalation_policies (id, name, current_version) VALUES ($1, $2, 1)`, [
        id,
        name,
      ]);
      await m.query(
        `INSERT INTO escalation_policy_versions (policy_id, version, definition, created_by) VALUES ($1, 1, $2, $3)`,
        [id, JSON.stringify(policy), actorId],
      );
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
      const rows = (await m.query(
        `SELECT current_version FROM escalation_policies WHERE id = $1 FOR UPDATE`,
        [id],
      )) as { current_version: number }[];
      if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, 'No such policy');
      const current = rows[0].current_version;
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
      await m.query(
        `INSERT INTO escalation_policy_versions (policy_id, version, definition, created_by) VALUES ($1, $2, $3, $4)`,
        [id, version, JSON.stringify(policy), actorId],
      );
      await m.query(`UPDATE escalation_policies SET current_version = $2, updated_at = now() WHERE id = $1`, [
        id,
        version,
      ]);
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
    const rows = (await this.dataSource.query(
      `SELECT id FROM escalation_policies ORDER BY name LIMIT 500`,
    )) as { id: string }[];
    return Promise.all(rows.map((r) => this.view(this.dataSource.manager, r.id)));
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
    const oncall = (await m.query(`SELECT team_id FROM oncall_schedules WHERE team_id = ANY($1::uuid[])`, [
      targets.onCallTeamIds.filter((x) => uuid.test(x)),
    ])) as { team_id: string }[];
    const result = validatePolicy(
      definition,
      { staffIds: staff, teamIds: teams, onCallTeamIds: new Set(oncall.map((o) => o.team_id)) },
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
    const rows = (await m.query(
      `SELECT p.id, p.name, p.current_version, p.updated_at, v.definition FROM escalation_policies p
         JOIN escalation_policy_versions v ON v.policy_id = p.id AND v.version = p.current_version WHERE p.id = $1`,
      [id],
    )) as {
      id: string;
      name: string;
      current_version: number;
      updated_at: Date;
      definition: PolicyDefinition;
    }[];
    if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, 'No such policy');
    const r = rows[0];
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
