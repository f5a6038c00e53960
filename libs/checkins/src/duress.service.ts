import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CaseReason } from '@panah/domain';
import { ReporterRepository, type ReporterDuressPort, type SignInEvent } from '@panah/intake';
import { DuressRepository } from './duress.repository';
import { SafetyCaseService } from './safety-case.service';

const SWEEP_BATCH = 200;
const SWEEP_CANDIDATES = 5_000;

/**
 * Duress: a sign-in with the duress code looks normal to whoever watches and silently raises a
 * critical `duress` case. Intake tells us about every sign-in after it has stored the session;
 * the case is raised off the response path, so a duress sign-in answers exactly as fast as any
 * other. The session row (duress = true) is the durable record: if raising fails or the process
 * dies first, the worker's sweep raises it from there. Nothing here logs that duress happened.
 */
@Injectable()
export class DuressService implements ReporterDuressPort {
  private readonly logger = new Logger(DuressService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly safety: SafetyCaseService,
    private readonly reporters: ReporterRepository,
    private readonly duress: DuressRepository,
  ) {}

  signedIn(event: SignInEvent): void {
    if (!event.duress) return;
    setImmediate(() => {
      this.raiseForSession(event.sessionId).catch((error: unknown) => {
        // Debug only and vague (no session, no reporter): even a warning that exists only for
        // duress sign-ins would tell a log reader which sign-in it was. The sweep raises it.
        this.logger.debug(
          { err: error instanceof Error ? error.name : 'unknown' },
          'sign-in follow-up deferred to the sweep',
        );
      });
    });
  }

  /** Raises the case for one duress session, once (keyed by the session). */
  async raiseForSession(sessionId: string): Promise<'raised' | 'already' | 'none'> {
    return this.dataSource.transaction(async (manager) => {
      const session = await this.reporters.session(manager, sessionId);
      if (!session?.duress) return 'none';
      // The reporter row lock orders us with any other signal of this reporter.
      await this.reporters.lockOne(manager, session.reporter_id);
      if (await this.duress.alreadyRaised(manager, sessionId)) return 'already';
      const outcome = await this.safety.raise(manager, {
        reporterId: session.reporter_id,
        reason: CaseReason.Duress,
        severity: 'critical',
        event: 'duress_signin',
        at: session.created_at,
      });
      await this.duress.recordAlert(manager, sessionId, session.reporter_id, outcome.caseId);
      return 'raised';
    });
  }

  /** Duress sessions from the last hours not raised yet (the API died, or raising failed). */
  async sweep(): Promise<number> {
    // Duress sessions of the last hour are few: read them all (capped), keep those not raised yet.
    const recent = await this.reporters.recentDuressSessionIds(this.dataSource.manager, SWEEP_CANDIDATES);
    const done = new Set(
      recent.length === 0 ? [] : await this.duress.raisedAmong(this.dataSource.manager, recent),
    );
    let raised = 0;
    for (const id of recent.filter((s) => !done.has(s)).slice(0, SWEEP_BATCH))
      if ((await this.raiseForSession(id)) === 'raised') raised += 1;
    return raised;
  }

  /** May this session see the reporter's real reports? Only a non-duress one, or if they chose so. */
  async showsReports(sessionId: string): Promise<boolean> {
    const session = await this.reporters.session(this.dataSource.manager, sessionId);
    if (!session?.duress) return true;
    return this.duress.showsReports(this.dataSource.manager, session.reporter_id);
  }

  /** Stores the choice made at registration, in the registration's transaction. */
  async duressRegistered(manager: EntityManager, reporterId: string, showReports: boolean): Promise<void> {
    await this.duress.saveShowsReports(manager, reporterId, showReports);
  }
}
