import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { CaseService } from '@panah/cases';
import { CryptoFormatError, fromUtf8, type HintsCipher } from '@panah/crypto';
import { CaseReason, evaluateTriage, TriageHints, validateHints } from '@panah/domain';
import { CaseUpdateNotifier } from '@panah/escalation';
import { HINTS_CIPHER } from '@panah/intake';
import { RuleSetRepository } from './rule-set.repository';
import { prepared } from '@panah/db';

export interface TriageResult {
  readonly caseId: string;
  readonly outcome: 'opened' | 'linked' | 'already_triaged' | 'missing';
}

interface ReportRow {
  id: string;
  reporter_id: string;
  status: string;
  hints: string | null;
  received_at: Date;
  case_id: string | null;
  repeat: boolean;
}

/** How long a triage_failed case may wait for acknowledgement. */
const FAILED_DEADLINE_MINUTES = 15;

/**
 * Triage of one report, in one transaction (DESIGN step 4): decrypt the hints in memory only,
 * evaluate the active rule set, open or raise the reporter's case, mark the report triaged.
 * Idempotent: a report that is no longer `received` is left alone, so a repeated job, the
 * reconciler and a final-failure handler can all race without a second case.
 */
@Injectable()
export class TriageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    @Inject(HINTS_CIPHER) private readonly hintsCipher: HintsCipher,
    private readonly rules: RuleSetRepository,
    private readonly cases: CaseService,
    private readonly updates: CaseUpdateNotifier,
  ) {}

  async triageReport(reportId: string, now = new Date()): Promise<TriageResult> {
    return this.dataSource.transaction(async (manager) => {
      const report = await this.lockReport(manager, reportId);
      if (!report) return { caseId: '', outcome: 'missing' };
      if (report.status !== 'received') return { caseId: report.case_id ?? '', outcome: 'already_triaged' };
      const hints = this.readHints(report);
      const active = await this.rules.routingContext(manager);
      const decision = evaluateTriage(active.ruleSet, hints, active.teams);
      const outcome = await this.cases.openOrRaise(manager, {
        reporterId: report.reporter_id,
        severity: decision.severity,
        teamId: decision.teamId,
        policyId: decision.policyId,
        deadlineAt: new Date(now.getTime() + decision.deadlineMinutes * 60_000),
        reason: CaseReason.Report,
        repeat: report.repeat,
        triage: { ruleSetVersion: active.version, rule: decision.matched, ruleName: decision.ruleName, routedBy: decision.routedBy },
      });
      await this.markTriaged(manager, report.id, outcome.caseId);
      return { caseId: outcome.caseId, outcome: outcome.opened ? 'opened' : 'linked' };
    });
  }

  /**
   * A report whose triage failed for good is never dropped: it becomes (or raises the reporter's
   * case to) a critical `triage_failed` case on the default team, and every active admin is
   * notified in the same transaction (something in the rules or the workers is broken).
   */
  async failReport(reportId: string, _errorName: string, now = new Date()): Promise<TriageResult> {
    return this.dataSource.transaction(async (manager) => {
      const report = await this.lockReport(manager, reportId);
      if (!report) return { caseId: '', outcome: 'missing' };
      if (report.status !== 'received') return { caseId: report.case_id ?? '', outcome: 'already_triaged' };
      const active = await this.rules.active(manager);
      const outcome = await this.cases.openOrRaise(manager, {
        reporterId: report.reporter_id,
        severity: 'critical',
        teamId: active.ruleSet.defaultTeamId,
        policyId: active.ruleSet.default.policyId,
        deadlineAt: new Date(now.getTime() + FAILED_DEADLINE_MINUTES * 60_000),
        reason: CaseReason.TriageFailed,
        repeat: false,
        triage: { ruleSetVersion: active.version, rule: 'triage_failed', ruleName: null, routedBy: 'default_team' },
      });
      await this.markTriaged(manager, report.id, outcome.caseId);
      await this.updates.notifyAdmins(manager, { caseId: outcome.caseId, event: 'triage_failed', eventId: report.id });
      return { caseId: outcome.caseId, outcome: outcome.opened ? 'opened' : 'linked' };
    });
  }

  /** Locks the report; `repeat`: another report from the same reporter within the window around its arrival. */
  private async lockReport(manager: EntityManager, reportId: string): Promise<ReportRow | null> {
    const rows = (await manager.query(
      prepared(`SELECT r.id, r.reporter_id, r.status, r.hints, r.received_at, r.case_id,
              EXISTS (SELECT 1 FROM reports o WHERE o.reporter_id = r.reporter_id AND o.id <> r.id
                         AND o.received_at BETWEEN r.received_at - make_interval(hours => $2) AND r.received_at + make_interval(hours => $2)) AS repeat
         FROM reports r WHERE r.id = $1 FOR UPDATE OF r`),
      [reportId, this.config.triage.repeatWindowHours],
    )) as ReportRow[];
    return rows[0] ?? null;
  }

  /** Decrypts and re-validates stored hints; throws a CryptoError if they can never be read. */
  private readHints(report: ReportRow): TriageHints | null {
    if (report.hints === null) return null;
    const json = fromUtf8(this.hintsCipher.decrypt(report.id, report.hints), 'hints');
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new CryptoFormatError('hints', 'stored hints are not JSON');
    }
    const result = validateHints(parsed);
    if (!result.ok) throw new CryptoFormatError('hints', 'stored hints are outside the vocabulary');
    return result.hints;
  }

  private async markTriaged(manager: EntityManager, reportId: string, caseId: string): Promise<void> {
    // clock_timestamp(), not now(): triaged_at should say when triage finished (bench/triage reads it).
    await manager.query(prepared(`UPDATE reports SET status = 'triaged', triaged_at = clock_timestamp(), updated_at = now(), case_id = $2 WHERE id = $1`), [reportId, caseId]);
  }
}
