import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { CaseService } from '@panah/cases';
import { CryptoFormatError, fromUtf8, type HintsCipher } from '@panah/crypto';
import { CaseReason, evaluateTriage, TriageHints, validateHints } from '@panah/domain';
import { CaseUpdateNotifier } from '@panah/escalation';
import { HINTS_CIPHER, ReportRepository, type TriageReportRow } from '@panah/intake';
import { RuleSetRepository } from './rule-set.repository';
import { eachAloneIfBatchFails } from '@panah/queue';

export interface TriageResult {
  readonly caseId: string;
  readonly outcome: 'opened' | 'linked' | 'already_triaged' | 'missing';
}

/** How long a triage_failed case may wait for acknowledgement. */
const FAILED_DEADLINE_MINUTES = 15;

/**
 * Triage of a report, in one transaction (DESIGN step 4): decrypt the hints in memory only,
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
    private readonly reports: ReportRepository,
  ) {}

  /**
   * Triage of several reports in one transaction (the processor batches the jobs that arrive
   * while a batch runs). Round trips per batch, not per report: lock the reports, read the rules,
   * open or raise the cases, mark the reports. A report whose hints cannot be read fails alone;
   * if the batch as a whole fails, each report is tried on its own so that one cannot hold up
   * the others.
   */
  async triageReports(
    reportIds: readonly string[],
    now = new Date(),
  ): Promise<Map<string, TriageResult | Error>> {
    return eachAloneIfBatchFails(reportIds, (ids) =>
      this.dataSource.transaction((manager) => this.triageLocked(manager, ids, now)),
    );
  }

  private async triageLocked(
    manager: EntityManager,
    reportIds: readonly string[],
    now: Date,
  ): Promise<Map<string, TriageResult | Error>> {
    const results = new Map<string, TriageResult | Error>(
      reportIds.map((id) => [id, { caseId: '', outcome: 'missing' }]),
    );
    const due: { report: TriageReportRow; hints: TriageHints | null }[] = [];
    for (const report of await this.lockReports(manager, reportIds)) {
      if (report.status !== 'received') {
        results.set(report.id, { caseId: report.case_id ?? '', outcome: 'already_triaged' });
        continue;
      }
      try {
        due.push({ report, hints: this.readHints(report) });
      } catch (error) {
        results.set(report.id, asError(error));
      }
    }
    if (due.length === 0) return results;
    const active = await this.rules.routingContext(manager);
    // In order of arrival, so that a reporter's second report raises the case the first opened.
    // The same order as `repeat` uses in SQL: (received_at, id), to the microsecond.
    due.sort(
      (a, b) =>
        compareBigInt(BigInt(a.report.received_us), BigInt(b.report.received_us)) ||
        (a.report.id < b.report.id ? -1 : a.report.id > b.report.id ? 1 : 0),
    );
    const signals = due.map(({ report, hints }) => {
      const decision = evaluateTriage(active.ruleSet, hints, active.teams);
      return {
        reporterId: report.reporter_id,
        severity: decision.severity,
        teamId: decision.teamId,
        policyId: decision.policyId,
        deadlineAt: new Date(now.getTime() + decision.deadlineMinutes * 60_000),
        reason: CaseReason.Report,
        repeat: report.repeat,
        triage: {
          ruleSetVersion: active.version,
          rule: decision.matched,
          ruleName: decision.ruleName,
          routedBy: decision.routedBy,
        },
      };
    });
    const outcomes = await this.cases.openOrRaiseMany(manager, signals);
    await this.markTriaged(
      manager,
      due.map((d, i) => ({ reportId: d.report.id, caseId: outcomes[i].caseId })),
    );
    due.forEach((d, i) =>
      results.set(d.report.id, {
        caseId: outcomes[i].caseId,
        outcome: outcomes[i].opened ? 'opened' : 'linked',
      }),
    );
    return results;
  }

  /**
   * A report whose triage failed for good is never dropped: it becomes (or raises the reporter's
   * case to) a critical `triage_failed` case on the default team, and every active admin is
   * notified in the same transaction (something in the rules or the workers is broken).
   */
  async failReport(reportId: string, _errorName: string, now = new Date()): Promise<TriageResult> {
    return this.dataSource.transaction(async (manager) => {
      const [report] = await this.lockReports(manager, [reportId]);
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
        triage: {
          ruleSetVersion: active.version,
          rule: 'triage_failed',
          ruleName: null,
          routedBy: 'default_team',
        },
      });
      await this.markTriaged(manager, [{ reportId: report.id, caseId: outcome.caseId }]);
      await this.updates.notifyAdmins(manager, {
        caseId: outcome.caseId,
        event: 'triage_failed',
        eventId: report.id,
      });
      return { caseId: outcome.caseId, outcome: outcome.opened ? 'opened' : 'linked' };
    });
  }

  private lockReports(manager: EntityManager, reportIds: readonly string[]): Promise<TriageReportRow[]> {
    return this.reports.lockForTriage(manager, reportIds, this.config.triage.repeatWindowHours);
  }

  /** Decrypts and re-validates stored hints; throws a CryptoError if they can never be read. */
  private readHints(report: TriageReportRow): TriageHints | null {
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

  private markTriaged(
    manager: EntityManager,
    links: readonly { reportId: string; caseId: string }[],
  ): Promise<void> {
    return this.reports.markTriaged(manager, links);
  }
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error('triage failed');
}
