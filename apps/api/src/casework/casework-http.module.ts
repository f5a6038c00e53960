import { Module } from '@nestjs/common';
import { CaseworkModule } from '@panah/casework';
import { CaseworkController, StaffKeysController } from './casework.controller';
import { ReporterMessagesController } from './reporter-messages.controller';

/** Case work over HTTP (issue 15): messages both ways, notes, recipients, attachments, staff keys. */
@Module({
  imports: [CaseworkModule],
  controllers: [CaseworkController, StaffKeysController, ReporterMessagesController],
})
export class CaseworkHttpModule {}
