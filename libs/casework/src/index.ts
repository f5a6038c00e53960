/**
 * @panah/casework — case work (issue 15): conversations (crypto-v1 §9), case notes, grants (§10),
 * attachments for staff and the recipient keys of a case. Services only: the SQL lives with each
 * table's owner (libs/cases, libs/intake, libs/identity).
 */
export { CaseworkModule } from './casework.module';
export { CaseReaders, type CaseAccess, type CaseViewer, type KeyRef } from './case-readers';
export { ConversationService, type MessageView } from './conversation.service';
export { NotesService, type NoteView } from './notes.service';
export { CaseFilesService, type StaffKeyView } from './case-files.service';
export { CaseworkReason } from './errors';
export {
  CaseTimelineService,
  type CaseDetail,
  type CaseSummary,
  type TimelineEntry,
} from './case-timeline.service';
export { AssignmentService, MAX_GRANTS_PER_REQUEST } from './assignment.service';
