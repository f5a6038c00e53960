import { ApiError, call } from '../../api/http';
import type { CaseDetail, RunView, StaffKey } from '../../api/types';

type OlderView = {
  reports?: { id: string; envelope: unknown; hints: Record<string, unknown> | null; receivedAt: string }[];
};

/** The case with its whole timeline; a refusal (another team's case) arrives as a 404 ApiError. */
export async function loadCase(caseId: string): Promise<CaseDetail> {
  const d = await call<Partial<CaseDetail> & OlderView & { id: string }>('GET', '/v1/cases/{id}', {
    path: { id: caseId },
  });
  // An API without the case-work routes answers reports only: show those as the timeline.
  const timeline =
    d.timeline ??
    (d.reports ?? []).map((r) => ({
      type: 'report' as const,
      at: r.receivedAt,
      reportId: r.id,
      envelope: r.envelope,
      hints: r.hints,
      attachments: [],
    }));
  return {
    state: 'open',
    severity: 'high',
    reasons: [],
    teamId: null,
    assigneeId: null,
    deadlineAt: null,
    openedAt: '',
    updatedAt: '',
    resolvedAt: null,
    escalation: null,
    grants: [],
    ...d,
    reporter: d.reporter ?? { id: '', boxKid: '', boxPk: '', signKeys: [] },
    timeline,
  } as CaseDetail;
}

/** The case's escalation run, or null when it has none (no policy). */
export async function loadRun(caseId: string): Promise<RunView | null> {
  try {
    return await call<RunView>('GET', '/v1/escalations/by-case/{caseId}', { path: { caseId } });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

const staffKeyCache = new Map<string, StaffKey | null>();

/** Active staff keys (to verify authors and grants, and to pick a hand-over recipient). */
export async function loadStaffKeys(): Promise<StaffKey[]> {
  const { items } = await call<{ items: StaffKey[] }>('GET', '/v1/keys/staff');
  for (const k of items) {
    staffKeyCache.set(k.signKid, k);
    staffKeyCache.set(k.boxKid, k);
  }
  return items;
}

/** One staff key by kid (a colleague no longer active still signed what they wrote). */
export async function staffKeyByKid(kid: string): Promise<StaffKey | null> {
  if (staffKeyCache.has(kid)) return staffKeyCache.get(kid) ?? null;
  try {
    const k = await call<StaffKey>('GET', '/v1/keys/staff/{kid}', { path: { kid } });
    staffKeyCache.set(kid, k);
    return k;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      staffKeyCache.set(kid, null);
      return null;
    }
    throw err;
  }
}
