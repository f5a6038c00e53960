import { ApiError, call } from '../../api/http';
import type { CaseView, RunView } from '../../api/types';

export interface CaseSummary {
  readonly id: string;
  readonly deadlineAt: string | null;
  readonly view: CaseView | null;
}

/** The case's deadline and content; a refusal (another team's case) is passed on as an ApiError. */
export async function loadCaseSummary(caseId: string): Promise<CaseSummary> {
  const view = await call<CaseView>('GET', `/cases/${caseId}`);
  return { id: caseId, deadlineAt: view.deadlineAt ?? null, view };
}

/** The case's escalation run, or null when it has none (no policy). */
export async function loadRun(caseId: string): Promise<RunView | null> {
  try {
    return await call<RunView>('GET', `/escalations/by-case/${caseId}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
