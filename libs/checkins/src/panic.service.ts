import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { CaseReason, isRepeatPanic } from '@panah/domain';
import { ReporterRepository } from '@panah/intake';
import { idTaken } from './errors';
import { SafetyCaseService } from './safety-case.service';
import { SignalVerifier, type SignedSignalInput } from './signal-verifier.service';
import type { ReporterRef } from './checkin.service';

export interface PanicView {
  readonly id: string;
  readonly receivedAt: string;
}

/**
 * Panic: one signed request opens (or raises) a critical `panic` case at once. A frightened
 * person presses again and again: presses within the window of the last one are recorded but
 * make no new signal, and retries of one press (same id) are that press.
 */
@Injectable()
export class PanicService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly verifier: SignalVerifier,
    private readonly safety: SafetyCaseService,
    private readonly reporters: ReporterRepository,
  ) {}

  async press(who: ReporterRef, input: SignedSignalInput): Promise<{ panic: PanicView; created: boolean }> {
    const signal = await this.verifier.verify(who.reporterId, who.sessionId, 'panic', input);
    return this.dataSource.transaction(async (manager) => {
      // Serialise one reporter's presses (the same row CaseService locks), so five concurrent
      // presses see each other and make one case.
      await this.reporters.lockOne(manager, who.reporterId);
      const same = (await manager.query(`SELECT reporter_id, pressed_at FROM panic_events WHERE id = $1`, [
        signal.id,
      ])) as { reporter_id: string; pressed_at: Date }[];
      if (same[0]) {
        if (same[0].reporter_id !== who.reporterId) throw idTaken('id');
        return { panic: { id: signal.id, receivedAt: same[0].pressed_at.toISOString() }, created: false };
      }
      const now = new Date();
      const last = (await manager.query(
        `SELECT pressed_at, case_id FROM panic_events WHERE reporter_id = $1 ORDER BY pressed_at DESC LIMIT 1`,
        [who.reporterId],
      )) as { pressed_at: Date; case_id: string | null }[];
      const repeat = isRepeatPanic(last[0]?.pressed_at ?? null, now, this.config.checkins.panicWindowSeconds);
      const caseId = repeat
        ? (last[0]?.case_id ?? null)
        : (
            await this.safety.raise(manager, {
              reporterId: who.reporterId,
              reason: CaseReason.Panic,
              severity: 'critical',
              event: 'panic',
              at: now,
            })
          ).caseId;
      await manager.query(
        `INSERT INTO panic_events (id, reporter_id, pressed_at, repeat, case_id) VALUES ($1, $2, $3, $4, $5)`,
        [signal.id, who.reporterId, now, repeat, caseId],
      );
      return { panic: { id: signal.id, receivedAt: now.toISOString() }, created: true };
    });
  }
}
