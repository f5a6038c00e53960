import type { EntityManager } from 'typeorm';

/**
 * Seam for the duress feature (issue 8, libs/checkins implements it). Intake knows which key a
 * reporter signed in with; what duress *does* (a silent critical case, hiding reports) belongs to
 * check-ins. Optional: without an implementation intake behaves as before.
 */
export const REPORTER_DURESS_PORT = 'panah.intake.reporter-duress-port';

export interface SignInEvent {
  readonly reporterId: string;
  readonly sessionId: string;
  /** Signed in with the duress key. */
  readonly duress: boolean;
}

export interface ReporterDuressPort {
  /**
   * Called after every sign-in's session is stored, duress or not. Must return at once and never
   * throw: the sign-in response must not wait for, or differ because of, what happens next.
   */
  signedIn(event: SignInEvent): void;
  /** In the registration transaction, when a duress key is registered with its setting. */
  duressRegistered(manager: EntityManager, reporterId: string, showReports: boolean): Promise<void>;
  /** May this session see the reporter's real reports and messages? */
  showsReports(sessionId: string): Promise<boolean>;
}
