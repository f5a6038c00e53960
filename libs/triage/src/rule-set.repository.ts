import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BUILT_IN_RULE_SET, TeamRouting, TriageRuleSet } from '@panah/domain';
import { prepared } from '@panah/db';

export interface RuleSetVersionRow {
  readonly version: number;
  readonly active: boolean;
  readonly definition: TriageRuleSet;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly activatedBy: string | null;
  readonly activatedAt: string | null;
}

interface Row {
  version: number;
  active: boolean;
  definition: TriageRuleSet;
  created_by: string | null;
  created_at: Date;
  activated_by: string | null;
  activated_at: Date | null;
}

const toView = (r: Row): RuleSetVersionRow => ({
  version: r.version,
  active: r.active,
  definition: r.definition,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  activatedBy: r.activated_by,
  activatedAt: r.activated_at?.toISOString() ?? null,
});

/** Rule-set versions, and the team/policy facts triage reads from identity and escalation. */
@Injectable()
export class RuleSetRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The active rule set, or the built-in one (version null) before an admin activates any. */
  async active(
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ version: number | null; ruleSet: TriageRuleSet }> {
    const rows = (await manager.query(
      prepared(`SELECT version, definition FROM triage_rule_sets WHERE active`),
    )) as Row[];
    return rows[0]
      ? { version: rows[0].version, ruleSet: rows[0].definition }
      : { version: null, ruleSet: BUILT_IN_RULE_SET };
  }

  async history(): Promise<RuleSetVersionRow[]> {
    const rows = (await this.dataSource.query(
      prepared(
        `SELECT version, active, definition, created_by, created_at, activated_by, activated_at FROM triage_rule_sets ORDER BY version DESC LIMIT 500`,
      ),
    )) as Row[];
    return rows.map(toView);
  }

  async insertNext(
    manager: EntityManager,
    definition: TriageRuleSet,
    createdBy: string | null,
  ): Promise<RuleSetVersionRow> {
    // Versions are dense and chosen under a lock, so two admins saving at once get n and n+1.
    await manager.query(prepared(`SELECT pg_advisory_xact_lock(hashtext('panah.triage_rule_sets'))`));
    const rows = (await manager.query(
      prepared(`INSERT INTO triage_rule_sets (version, definition, created_by)
       VALUES ((SELECT coalesce(max(version), 0) + 1 FROM triage_rule_sets), $1, $2)
       RETURNING version, active, definition, created_by, created_at, activated_by, activated_at`),
      [JSON.stringify(definition), createdBy],
    )) as Row[];
    return toView(rows[0]);
  }

  /** Makes `version` the only active one; false if it does not exist. */
  async activate(
    manager: EntityManager,
    version: number,
    activatedBy: string | null,
  ): Promise<RuleSetVersionRow | null> {
    await manager.query(prepared(`SELECT pg_advisory_xact_lock(hashtext('panah.triage_rule_sets'))`));
    const exists = (await manager.query(prepared(`SELECT version FROM triage_rule_sets WHERE version = $1`), [
      version,
    ])) as unknown[];
    if (exists.length === 0) return null;
    await manager.query(
      prepared(`UPDATE triage_rule_sets SET active = false WHERE active AND version <> $1`),
      [version],
    );
    // (TypeORM answers UPDATE … RETURNING with [rows, count]; a CTE keeps it a plain row list.)
    const rows = (await manager.query(
      prepared(`WITH done AS (UPDATE triage_rule_sets SET active = true, activated_by = $2, activated_at = now() WHERE version = $1
         RETURNING version, active, definition, created_by, created_at, activated_by, activated_at)
       SELECT * FROM done`),
      [version, activatedBy],
    )) as Row[];
    return toView(rows[0]);
  }

  /** The active rule set (as `active`) and the teams it routes to, in one round trip (triage's hot path). */
  async routingContext(
    manager: EntityManager,
  ): Promise<{ version: number | null; ruleSet: TriageRuleSet; teams: TeamRouting[] }> {
    const rows = (await manager.query(
      prepared(`SELECT (SELECT json_build_object('version', version, 'definition', definition) FROM triage_rule_sets WHERE active) AS active,
              coalesce((SELECT json_agg(json_build_object('id', id, 'name', name, 'regions', regions, 'languages', languages) ORDER BY name, id) FROM teams), '[]') AS teams`),
    )) as { active: { version: number; definition: TriageRuleSet } | null; teams: TeamRouting[] }[];
    const { active, teams } = rows[0];
    return active
      ? { version: active.version, ruleSet: active.definition, teams }
      : { version: null, ruleSet: BUILT_IN_RULE_SET, teams };
  }

  async teams(manager: EntityManager = this.dataSource.manager): Promise<TeamRouting[]> {
    return (await manager.query(
      prepared(`SELECT id, name, regions, languages FROM teams ORDER BY name, id`),
    )) as TeamRouting[];
  }

  /**
   * Ids of existing escalation policies. Escalation owns that table; until its migration has
   * run there are none, and a rule naming a policy is refused.
   */
  async policyIds(manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    const present = (await manager.query(
      prepared(`SELECT to_regclass('escalation_policies') IS NOT NULL AS present`),
    )) as { present: boolean }[];
    if (!present[0].present) return new Set();
    const rows = (await manager.query(prepared(`SELECT id FROM escalation_policies`))) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }
}
