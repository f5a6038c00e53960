/**
 * @panah/audit — the append-only, hash-chained audit log (G6). Capabilities call
 * `AuditLog.append(manager, entry)` inside the transaction of the action they record.
 */
export {
  AuditLog,
  verifyAuditLog,
  actorOf,
  type NewAuditEntry,
  type AuditPage,
  type AuditVerification,
} from './audit-log.service';
export { AuditModule } from './audit.module';
