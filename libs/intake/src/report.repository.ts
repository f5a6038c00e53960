import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReportStatus } from '@panah/domain';
import { JobName, outboxRowValues, reportSubmittedJobId } from '@panah/queue';
import { prepared } from '@panah/db';

export interface SubmissionContext {
  /** Current directory, or null before the first one is published. */
  readonly directory: { readonly serial: string; readonly intakeKids: readonly string[] } | null;
  /** The author key's Ed25519 public key, if that kid belongs to this reporter. */
  readonly authorSignPk: string | null;
}

export interface StoredReportHead {
  readonly id: string;
  readonly reporterId: string;
  readonly status: ReportStatus;
  readonly requestDigest: string;
  readonly receivedAt: Date;
}

export interface NewReport {
  readonly id: string;
  readonly reporterId: string;
  readonly envelopeJson: string;
  readonly hints: string | null;
  readonly requestDigest: string;
  readonly directorySerial: string;
}

export interface ReportListItem {
  readonly id: string;
  readonly status: ReportStatus;
  readonly receivedAt: Date;
}

/** Single-purpose queries of intake's report path (hot path: plain SQL, one round trip each). */
@Injectable()
export class ReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The current directory and the author's key in one round trip. */
  async submissionContext(authorKid: string, reporterId: string): Promise<SubmissionContext> {
    const rows = (await this.dataSource.query(
      prepared(`SELECT d.serial, d.intake_kids, k.sign_pk
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (SELECT serial, intake_kids FROM key_directories ORDER BY serial DESC LIMIT 1) d ON true
         LEFT JOIN reporter_keys k ON k.kid = $1 AND k.reporter_id = $2`),
      [authorKid, reporterId],
    )) as { serial: string | null; intake_kids: string[] | null; sign_pk: string | null }[];
    const row = rows[0];
    return {
      directory:
        row.serial !== null ? { serial: String(row.serial), intakeKids: row.intake_kids ?? [] } : null,
      authorSignPk: row.sign_pk,
    };
  }

  /**
   * Inserts the report and its `report.submitted` outbox row unless the id exists, in one
   * statement (atomic on its own: all rows or none, one round trip), and counts it against the
   * reporter's reports of the UTC day. The counter row is bumped only when the report row is
   * inserted, and its check constraint (`reports <= max_reports`) fails the whole statement past
   * `reportsPerDay`: exact under parallel submissions (the upsert serialises on the counter row),
   * and an id already taken counts nothing. Returns the new row's head, `overQuota` (nothing
   * written) or `taken` (the id exists; nothing written).
   */
  async insertIfAbsent(
    r: NewReport,
    reportsPerDay: number,
  ): Promise<StoredReportHead | 'overQuota' | 'taken'> {
    let rows: HeadRow[];
    try {
      rows = (await this.dataSource.query(
        prepared(`WITH report AS (
           INSERT INTO reports (id, reporter_id, envelope, hints, request_digest, directory_serial)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING
           RETURNING id, reporter_id, status, request_digest, received_at
         ), counted AS (
           INSERT INTO reporter_daily_usage (reporter_id, day, reports, max_reports)
           SELECT reporter_id, (now() AT TIME ZONE 'UTC')::date, 1, $11 FROM report
           ON CONFLICT (reporter_id, day)
             DO UPDATE SET reports = reporter_daily_usage.reports + 1, max_reports = EXCLUDED.max_reports
         ), announced AS (
           INSERT INTO outbox (job_name, payload, job_id, not_before) SELECT $7, $8::jsonb, $9, $10::timestamptz FROM report
         )
         SELECT id, reporter_id, status, request_digest, received_at FROM report`),
        [
          r.id,
          r.reporterId,
          r.envelopeJson,
          r.hints,
          r.requestDigest,
          r.directorySerial,
          ...outboxRowValues(
            JobName.ReportSubmitted,
            { reportId: r.id },
            { jobId: reportSubmittedJobId(r.id) },
          ),
          reportsPerDay,
        ],
      )) as HeadRow[];
    } catch (error) {
      if (isViolation(error, '23514', DAILY_QUOTA_CHECK)) return 'overQuota';
      throw error;
    }
    return rows[0] ? toHead(rows[0]) : 'taken';
  }

  async head(id: string): Promise<StoredReportHead | null> {
    const rows = (await this.dataSource.query(
      prepared(`SELECT id, reporter_id, status, request_digest, received_at FROM reports WHERE id = $1`),
      [id],
    )) as HeadRow[];
    return rows[0] ? toHead(rows[0]) : null;
  }

  /** A reporter's reports, newest first, keyset-paginated on (received_at, id). */
  /** The cursor is the last id seen; its exact (microsecond) timestamp is read back in SQL. */
  async listForReporter(reporterId: string, limit: number, afterId?: string): Promise<ReportListItem[]> {
    const rows = (await this.dataSource.query(
      prepared(`SELECT id, status, received_at FROM reports
        WHERE reporter_id = $1
          AND ($2::uuid IS NULL OR (received_at, id) < (SELECT received_at, id FROM reports WHERE id = $2::uuid AND reporter_id = $1))
        ORDER BY received_at DESC, id DESC LIMIT $3`),
      [reporterId, afterId ?? null, limit],
    )) as { id: string; status: ReportStatus; received_at: Date }[];
    return rows.map((r) => ({ id: r.id, status: r.status, receivedAt: r.received_at }));
  }

  async attachmentsOf(reportId: string): Promise<{ id: string; size: number }[]> {
    const rows = (await this.dataSource.query(
      prepared(`SELECT id, size FROM report_attachments WHERE report_id = $1 ORDER BY created_at, id`),
      [reportId],
    )) as {
      id: string;
      size: string;
    }[];
    return rows.map((r) => ({ id: r.id, size: Number(r.size) }));
  }

  /**
   * Locks the reports in id order (concurrent triage batches cannot deadlock); `repeat`: an
   * earlier report from the same reporter within the window before its arrival. Earlier only, so
   * that two reports raise the case one level whether they are triaged apart or together.
   */
  async lockForTriage(
    m: EntityManager,
    reportIds: readonly string[],
    repeatWindowHours: number,
  ): Promise<TriageReportRow[]> {
    return (await m.query(
      prepared(`SELECT r.id, r.reporter_id, r.status, r.hints, r.received_at, r.case_id,
              (extract(epoch FROM r.received_at) * 1000000)::bigint::text AS received_us,
              EXISTS (SELECT 1 FROM reports o WHERE o.reporter_id = r.reporter_id AND (o.received_at, o.id) < (r.received_at, r.id)
                         AND o.received_at >= r.received_at - make_interval(hours => $2)) AS repeat
         FROM reports r WHERE r.id = ANY($1::uuid[]) ORDER BY r.id FOR UPDATE OF r`),
      [reportIds, repeatWindowHours],
    )) as TriageReportRow[];
  }

  /** Triaged: linked to its case. */
  async markTriaged(m: EntityManager, links: readonly { reportId: string; caseId: string }[]): Promise<void> {
    // clock_timestamp(), not now(): triaged_at should say when triage finished (bench/triage reads it).
    await m.query(
      prepared(`UPDATE reports r SET status = 'triaged', triaged_at = clock_timestamp(), updated_at = now(), case_id = x.case_id
         FROM unnest($1::uuid[], $2::uuid[]) AS x(id, case_id) WHERE r.id = x.id`),
      [links.map((l) => l.reportId), links.map((l) => l.caseId)],
    );
  }

  /** Reports still `received` after `olderThanSeconds`, oldest first (partial index). */
  async staleReceivedIds(m: EntityManager, olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows = (await m.query(
      `SELECT id FROM reports WHERE status = 'received' AND received_at < now() - make_interval(secs => $1) ORDER BY received_at LIMIT $2`,
      [olderThanSeconds, limit],
    )) as Pick<TriageReportRow, 'id'>[];
    return rows.map((r) => r.id);
  }

  /** Deletes staged attachment chunks that no attachment row adopted within `hours`. */
  async sweepAbandonedUploads(m: EntityManager, hours: number): Promise<number> {
    const rows = (await m.query(
      `WITH gone AS (
         DELETE FROM attachment_chunks c
          WHERE c.created_at < now() - make_interval(hours => $1)
            AND NOT EXISTS (SELECT 1 FROM report_attachments a WHERE a.upload_id = c.upload_id)
          RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [hours],
    )) as { n: number }[];
    return rows[0].n;
  }

  /** How many reports each case has (cases without reports are absent). */
  async countForCases(m: EntityManager, caseIds: readonly string[]): Promise<Map<string, number>> {
    if (caseIds.length === 0) return new Map();
    const rows = (await m.query(
      `SELECT case_id, count(*)::int AS n FROM reports WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`,
      [caseIds],
    )) as {
      case_id: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.case_id, r.n]));
  }

  /** A case's reports in the order they arrived (envelopes sealed, hints still encrypted). */
  async listForCase(m: EntityManager, caseId: string): Promise<ReportOfCaseRow[]> {
    return (await m.query(
      `SELECT id, envelope, hints, received_at FROM reports WHERE case_id = $1 ORDER BY received_at, id`,
      [caseId],
    )) as ReportOfCaseRow[];
  }
}

/** A report as triage locks it. */
export interface TriageReportRow {
  id: string;
  reporter_id: string;
  status: ReportStatus;
  hints: string | null;
  received_at: Date;
  /** received_at in microseconds (a Date keeps only milliseconds): the exact order of arrival. */
  received_us: string;
  case_id: string | null;
  /** An earlier report from the same reporter arrived within the repeat window. */
  repeat: boolean;
}

export interface ReportOfCaseRow {
  id: string;
  envelope: unknown;
  hints: string | null;
  received_at: Date;
}

interface HeadRow {
  id: string;
  reporter_id: string;
  status: ReportStatus;
  request_digest: string;
  received_at: Date;
}

function toHead(r: HeadRow): StoredReportHead {
  return {
    id: r.id,
    reporterId: r.reporter_id,
    status: r.status,
    requestDigest: r.request_digest,
    receivedAt: r.received_at,
  };
}

const DAILY_QUOTA_CHECK = 'reporter_daily_usage_quota_check';

/** A pg error of this SQLSTATE on this constraint (the statement was rolled back as a whole). */
function isViolation(error: unknown, sqlState: string, constraint: string): boolean {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  return (
    (e.driverError?.code ?? e.code) === sqlState && (e.driverError?.constraint ?? e.constraint) === constraint
  );
}
