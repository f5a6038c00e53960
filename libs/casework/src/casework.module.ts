import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { CaseEventRepository, CaseGrantRepository, CaseNoteRepository, CasesModule } from '@panah/cases';
import { SafetyTimelineRepository } from '@panah/checkins';
import { CaseUpdatesModule } from '@panah/escalation';
import { StaffKeysRepository } from '@panah/identity';
import { CaseMaterialRepository, ConversationRepository, IntakeModule } from '@panah/intake';
import { AssignmentService } from './assignment.service';
import { CaseFilesService } from './case-files.service';
import { CaseReaders } from './case-readers';
import { CaseTimelineService } from './case-timeline.service';
import { ConversationService } from './conversation.service';
import { NotesService } from './notes.service';

/**
 * Case work (issue 15): the conversation with the reporter, case notes, grants, attachments for
 * staff, and the keys all of them are sealed to. It decides; the tables' owners (cases, intake,
 * identity) hold the SQL.
 */
@Module({
  imports: [AuditModule, IntakeModule, CasesModule, CaseUpdatesModule],
  providers: [
    CaseNoteRepository,
    CaseGrantRepository,
    CaseEventRepository,
    StaffKeysRepository,
    ConversationRepository,
    CaseMaterialRepository,
    CaseReaders,
    ConversationService,
    NotesService,
    CaseFilesService,
    SafetyTimelineRepository,
    CaseTimelineService,
    AssignmentService,
  ],
  exports: [
    AssignmentService,
    CaseReaders,
    ConversationService,
    NotesService,
    CaseFilesService,
    CaseTimelineService,
  ],
})
export class CaseworkModule {}
