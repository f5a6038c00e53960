import { Module } from '@nestjs/common';
import { CasesModule } from '@panah/cases';
import { CasesController } from './cases.controller';

/** Cases over HTTP: the staff case list and case view. */
@Module({ imports: [CasesModule], controllers: [CasesController] })
export class CasesHttpModule {}
