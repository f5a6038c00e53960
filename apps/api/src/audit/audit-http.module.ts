import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { AuditController } from './audit.controller';

/** HTTP side of the audit log: GET /v1/admin/audit. */
@Module({ imports: [AuditModule], controllers: [AuditController] })
export class AuditHttpModule {}
