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
