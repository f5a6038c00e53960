import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import {
  DomainError,
  ErrorCode,
  evaluateTriage,
  TriageDecision,
  TriageReason,
  validateHints,
  validateRuleSet,
} from '@panah/domain';
import { RuleSetRepository, RuleSetVersionRow } from './rule-set.repository';

export interface DryRunResult {
  readonly ruleSetVersion: number | 'draft' | null;
  readonly hintsGiven: boolean;
  readonly decision: TriageDecision;
}

/**
 * Admin-owned triage rules: whole rule sets are versioned (never edited in place), validated
 * against the live teams and escalation policies, activated explicitly, and every change is
 * written to the audit log in the same transaction.
 */
@Injectable()
export class RuleSetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: RuleSetRepository,
    private readonly audit: AuditLog,
  ) {}

  history(): Promise<RuleSetVersionRow[]> {
    return this.rules.history();
  }

  async active(): Promise<{ version: number | null; definition: unknown }> {
    const a = await this.rules.active();
    return { version: a.version, definition: a.ruleSet };
  }

  async create(input: unknown, staffId: string, activate = false): Promise<RuleSetVersionRow> {
    return this.dataSource.transaction(async (manager) => {
      const ruleSet = await this.validated(input, 'ruleSet');
      let row = await this.rules.insertNext(manager, ruleSet, staffId);
      await this.audit.append(manager, {
        actorType: 'staff',
        actorId: staffId,
        action: 'triage.rules_created',
        targetType: 'triage_rule_set',
        targetId: String(row.version),
      });
      if (activate) {
        row = (await this.rules.activate(manager, row.version, staffId)) ?? row;
        await this.audit.append(manager, {
          actorType: 'staff',
          actorId: staffId,
          action: 'triage.rules_activated',
          targetType: 'triage_rule_set',
          targetId: String(row.version),
        });
      }
      return row;
    });
  }

  async activate(version: number, staffId: string): Promise<RuleSetVersionRow> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.rules.activate(manager, version, staffId);
      if (!row)
        throw new DomainError(
          ErrorCode.NotFound,
          'No such rule-set version',
          [{ path: 'version', message: 'does not exist' }],
          'triage/unknown_version',
        );
      await this.audit.append(manager, {
        actorType: 'staff',
        actorId: staffId,
        action: 'triage.rules_activated',
        targetType: 'triage_rule_set',
        targetId: String(version),
      });
      return row;
    });
  }

  /** Evaluates hints against a draft (validated like a new version) or the active set, and explains. */
  async dryRun(hintsInput: unknown, draft: unknown): Promise<DryRunResult> {
    const hints = validateHints(hintsInput);
    if (!hints.ok)
      throw new DomainError(ErrorCode.ValidationFailed, 'Invalid triage hints', hints.problems, hints.reason);
    const teams = await this.rules.teams();
    if (draft !== undefined && draft !== null) {
      const ruleSet = await this.validated(draft, 'ruleSet');
      return {
        ruleSetVersion: 'draft',
        hintsGiven: hints.hints !== null,
        decision: evaluateTriage(ruleSet, hints.hints, teams),
      };
    }
    const active = await this.rules.active();
    return {
      ruleSetVersion: active.version,
      hintsGiven: hints.hints !== null,
      decision: evaluateTriage(active.ruleSet, hints.hints, teams),
    };
  }

  private async validated(input: unknown, prefix: string): Promise<import('@panah/domain').TriageRuleSet> {
    const [teams, policies] = await Promise.all([this.rules.teams(), this.rules.policyIds()]);
    const teamIds = new Set(teams.map((t) => t.id));
    const result = validateRuleSet(input, {
      teamExists: (id) => teamIds.has(id),
      policyExists: (id) => policies.has(id),
    });
    if (!result.ok) {
      const fields = result.problems.map((p) => ({
        path: p.path === '(root)' ? prefix : `${prefix}.${p.path}`,
        message: p.message,
      }));
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'Invalid triage rule set',
        fields,
        result.reason ?? TriageReason.InvalidRuleSet,
      );
    }
    return result.ruleSet;
  }
}
