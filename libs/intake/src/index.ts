export { IntakeModule } from './intake.module';
export { HINTS_CIPHER, hintsCipherProvider } from './hints-cipher.provider';
export { KeyDirectoryService, type CurrentDirectory } from './key-directory.service';
export { KeyDirectoryRepository, type KeyDirectoryRow } from './key-directory.repository';
export { ReporterAuthService, type Registration, type PublicKeys } from './reporter-auth.service';
export { ReportService, type ReportView, type SubmitResult } from './report.service';
export { AttachmentService, MAX_ATTACHMENTS_PER_REPORT, CHUNK_ROW_BYTES } from './attachment.service';
export { MessageService, type MessageView } from './message.service';
export { REPORTER_DURESS_PORT, type ReporterDuressPort, type SignInEvent } from './duress-port';
export {
  ReporterRepository,
  type ReporterSessionRow,
  type ReporterSigningKeyRow,
} from './reporter.repository';
export { ReportRepository, type TriageReportRow, type ReportOfCaseRow } from './report.repository';
export {
  ConversationRepository,
  type ConversationRow,
  type NewConversationMessage,
} from './conversation.repository';
export {
  CaseMaterialRepository,
  type CaseReportRow,
  type ReporterKeyRow,
  type AttachmentBlobRow,
} from './case-material.repository';
