import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { AttachmentRepository } from './attachment.repository';
import { AttachmentService } from './attachment.service';
import { hintsCipherProvider, HINTS_CIPHER } from './hints-cipher.provider';
import { KeyDirectoryRepository } from './key-directory.repository';
import { KeyDirectoryService } from './key-directory.service';
import { MessageService } from './message.service';
import { OneTimeStore } from './one-time.store';
import { ReportRepository } from './report.repository';
import { ReportService } from './report.service';
import { ReporterAuthService } from './reporter-auth.service';
import { ReporterRepository } from './reporter.repository';

/**
 * Reporter intake: anonymous reporters and their sessions, the signed key directory, encrypted
 * reports (with the outbox row that starts triage), attachments and messages to reporters.
 */
@Module({
  imports: [AuditModule],
  providers: [
    hintsCipherProvider,
    OneTimeStore,
    KeyDirectoryRepository,
    KeyDirectoryService,
    ReporterAuthService,
    ReporterRepository,
    ReportRepository,
    ReportService,
    AttachmentRepository,
    AttachmentService,
    MessageService,
  ],
  exports: [
    HINTS_CIPHER,
    KeyDirectoryService,
    ReporterAuthService,
    ReportService,
    AttachmentService,
    MessageService,
  ],
})
export class IntakeModule {}
