import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.service';

/** The audit log, for every capability that records sensitive actions. */
@Module({ providers: [AuditLog], exports: [AuditLog] })
export class AuditModule {}
