import { Module } from '@nestjs/common';
import { CheckinsModule, DuressPortModule } from '@panah/checkins';
import { CaseCheckinsController } from './case-checkins.controller';
import { CheckinsController } from './checkins.controller';

/** Check-ins, panic and the duress hook over HTTP (issue 8). */
@Module({
  imports: [CheckinsModule, DuressPortModule],
  controllers: [CheckinsController, CaseCheckinsController],
})
export class CheckinsHttpModule {}
