import { Module } from '@nestjs/common';
import { CaseworkModule } from '@panah/casework';
import { CasesController } from './cases.controller';

/** Cases over HTTP: the staff case list and case view (with its timeline). */
@Module({ imports: [CaseworkModule], controllers: [CasesController] })
export class CasesHttpModule {}
