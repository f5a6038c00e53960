import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { ReportRepository } from '@panah/intake';

/** Chunks of an upload with no attachment row after this long belong to an abandoned upload. */
const ABANDONED_UPLOAD_HOURS = 6;

/** What the periodic reconciler looks for (intake's queries; the worker processor acts on them). */
@Injectable()
export class ReconcilerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly reports: ReportRepository,
  ) {}

  /** Reports still `received` after the configured age, oldest first (partial index). */
  staleReportIds(limit: number): Promise<string[]> {
    return this.reports.staleReceivedIds(
      this.dataSource.manager,
      this.config.triage.reconcileAfterSeconds,
      limit,
    );
  }

  /** Deletes staged attachment chunks that no attachment row ever adopted. */
  sweepAbandonedUploads(): Promise<number> {
    return this.reports.sweepAbandonedUploads(this.dataSource.manager, ABANDONED_UPLOAD_HOURS);
  }
}
