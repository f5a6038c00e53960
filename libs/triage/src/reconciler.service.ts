import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';

/** Chunks of an upload with no attachment row after this long belong to an abandoned upload. */
const ABANDONED_UPLOAD_HOURS = 6;

/** What the periodic reconciler looks for (queries only; the worker processor acts on them). */
@Injectable()
export class ReconcilerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {}

  /** Reports still `received` after the configured age, oldest first (partial index). */
  async staleReportIds(limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM reports WHERE status = 'received' AND received_at < now() - make_interval(secs => $1) ORDER BY received_at LIMIT $2`,
      [this.config.triage.reconcileAfterSeconds, limit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Deletes staged attachment chunks that no attachment row ever adopted. */
  async sweepAbandonedUploads(): Promise<number> {
    const rows = (await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM attachment_chunks c
          WHERE c.created_at < now() - make_interval(hours => $1)
            AND NOT EXISTS (SELECT 1 FROM report_attachments a WHERE a.upload_id = c.upload_id)
          RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [ABANDONED_UPLOAD_HOURS],
    )) as { n: number }[];
    return rows[0].n;
  }
}
