import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type PolicyDefinition, policyDefinitionSchema } from '@panah/domain';
import { prepared } from '@panah/db';

/**
 * Policy versions are immutable once written, so a definition is cached forever by
 * (policy, version). Cases that name no policy (or a policy deleted meanwhile) escalate with the
 * built-in fallback: nobody is ever left without an escalation.
 */
export const FALLBACK_POLICY_ID = '00000000-0000-0000-0000-000000000000';
export const FALLBACK_POLICY_VERSION = 0;

/** Team first, then its supervisors, then admins through mark_overdue. */
export function fallbackPolicy(teamId: string | null): PolicyDefinition {
  if (!teamId) return { ackTimeoutSeconds: null, maxSnoozeSeconds: 3_600, steps: [{ type: 'mark_overdue' }] };
  return {
    ackTimeoutSeconds: 1_800,
    maxSnoozeSeconds: 3_600,
    steps: [
      { type: 'notify', targets: [{ type: 'team', teamId }], mode: 'all' },
      { type: 'wait', seconds: 300 },
      { type: 'notify', targets: [{ type: 'supervisors', teamId }], mode: 'all' },
      { type: 'wait', seconds: 600 },
      { type: 'mark_overdue' },
    ],
  };
}

export interface PolicyRef {
  readonly policyId: string;
  readonly version: number;
}

const cache = new Map<string, PolicyDefinition>();

export async function loadPolicyVersion(
  manager: EntityManager,
  ref: PolicyRef,
  teamId: string | null,
): Promise<PolicyDefinition> {
  if (ref.policyId === FALLBACK_POLICY_ID) return fallbackPolicy(teamId);
  const key = `${ref.policyId}/${ref.version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const rows = (await manager.query(
    prepared(`SELECT definition FROM escalation_policy_versions WHERE policy_id = $1 AND version = $2`),
    [ref.policyId, ref.version],
  )) as {
    definition: unknown;
  }[];
  if (rows.length === 0) return fallbackPolicy(teamId);
  // Stored definitions were validated on write; parse again so a hand-edited row cannot crash a run.
  const parsed = policyDefinitionSchema.safeParse(rows[0].definition);
  const definition = parsed.success ? (parsed.data as PolicyDefinition) : fallbackPolicy(teamId);
  if (parsed.success) cache.set(key, definition);
  return definition;
}

/** The version a new run of `policyId` snapshots: the current one, or the fallback. */
export async function currentPolicyRef(manager: EntityManager, policyId: string | null): Promise<PolicyRef> {
  if (!policyId) return { policyId: FALLBACK_POLICY_ID, version: FALLBACK_POLICY_VERSION };
  const rows = (await manager.query(
    prepared(`SELECT current_version FROM escalation_policies WHERE id = $1`),
    [policyId],
  )) as { current_version: number }[];
  return rows.length > 0
    ? { policyId, version: rows[0].current_version }
    : { policyId: FALLBACK_POLICY_ID, version: FALLBACK_POLICY_VERSION };
}

/** A policy with its current version's definition (the admin's view). */
export interface PolicyRow {
  readonly id: string;
  readonly name: string;
  readonly current_version: number;
  readonly updated_at: Date;
  readonly definition: PolicyDefinition;
}

/**
 * Owner of `escalation_policies` and `escalation_policy_versions` for the admin's edits: a policy
 * and its immutable versions. (Runs read their version through loadPolicyVersion above.)
 */
@Injectable()
export class PolicyRepository {
  async nameTaken(m: EntityManager, name: string): Promise<boolean> {
    const rows = (await m.query(`SELECT 1 FROM escalation_policies WHERE name = $1`, [name])) as unknown[];
    return rows.length > 0;
  }

  /** A new policy at version 1 with its first definition. */
  async insert(
    m: EntityManager,
    p: { id: string; name: string; definition: PolicyDefinition; createdBy: string },
  ): Promise<void> {
    await m.query(`INSERT INTO escalation_policies (id, name, current_version) VALUES ($1, $2, 1)`, [
      p.id,
      p.name,
    ]);
    await m.query(
      `INSERT INTO escalation_policy_versions (policy_id, version, definition, created_by) VALUES ($1, 1, $2, $3)`,
      [p.id, JSON.stringify(p.definition), p.createdBy],
    );
  }

  /** The policy's current version, locked against a concurrent edit; null when there is no such policy. */
  async lockCurrentVersion(m: EntityManager, id: string): Promise<number | null> {
    const rows = (await m.query(`SELECT current_version FROM escalation_policies WHERE id = $1 FOR UPDATE`, [
      id,
    ])) as { current_version: number }[];
    return rows[0]?.current_version ?? null;
  }

  /** Writes a new version and makes it the current one. */
  async addVersion(
    m: EntityManager,
    v: { policyId: string; version: number; definition: PolicyDefinition; createdBy: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO escalation_policy_versions (policy_id, version, definition, created_by) VALUES ($1, $2, $3, $4)`,
      [v.policyId, v.version, JSON.stringify(v.definition), v.createdBy],
    );
    await m.query(`UPDATE escalation_policies SET current_version = $2, updated_at = now() WHERE id = $1`, [
      v.policyId,
      v.version,
    ]);
  }

  /** The policy with its current definition, or null. */
  async current(m: EntityManager, id: string): Promise<PolicyRow | null> {
    const rows = (await m.query(
      `SELECT p.id, p.name, p.current_version, p.updated_at, v.definition FROM escalation_policies p
         JOIN escalation_policy_versions v ON v.policy_id = p.id AND v.version = p.current_version WHERE p.id = $1`,
      [id],
    )) as PolicyRow[];
    return rows[0] ?? null;
  }

  /** Every policy's id, by name. */
  async listIds(m: EntityManager): Promise<string[]> {
    const rows = (await m.query(`SELECT id FROM escalation_policies ORDER BY name LIMIT 500`)) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }
}
