/**
 * @panah/cases — owns the `cases` table: every statement on it is a CaseRepository method (lock
 * for a signal or by id, open/raise, acknowledge, resolve, assign, list, view), each change
 * bumping the case's version and announcing `case.updated` in the caller's transaction.
 */
export { CaseService, type CaseSignal, type CaseOutcome } from './case.service';
export {
  CaseRepository,
  type CaseRow,
  type OpenCaseRow,
  type EscalatedCaseRow,
  type CaseAccessRow,
  type CaseListRow,
  type CaseChange,
  type CaseListFilter,
} from './case.repository';
export { CaseQueryService, type CaseListItem, type CaseWithTimeline } from './case-query.service';
export { CaseViewService, type CaseReportView } from './case-view.service';
export { CasesModule } from './cases.module';
export { CaseNoteRepository, type CaseNoteRow } from './case-note.repository';
export { CaseGrantRepository, type CaseGrantRow } from './case-grant.repository';
export { CaseEventRepository, type CaseEventRow, type CaseEventKind } from './case-event.repository';
