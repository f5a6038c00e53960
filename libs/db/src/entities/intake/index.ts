export {
  Reporter,
  ReporterDailyUsage,
  ReporterKey,
  ReporterSession,
  ReporterUploadLease,
  type ReporterKeyPurpose,
} from './reporter.entity';
export { KeyDirectory } from './key-directory.entity';
export { Report, ReportAttachment, AttachmentChunk, ReporterMessage } from './report.entity';
