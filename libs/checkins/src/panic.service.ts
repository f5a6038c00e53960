import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { CaseReason, isRepeatPanic } from '@panah/domain';
import { ReporterRepository } from '@panah/intake';
import { idTaken } from './errors';
import { PanicRepository } from './panic.repository';
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
    private readonly presses: PanicRepository,
  ) {}

  async press(who: ReporterRef, input: SignedSignalInput): Promise<{ panic: PanicView; created: boolean }> {
    const signal = await this.verifier.verify(who.reporterId, who.sessionId, 'panic', input);
    return this.dataSource.transaction(async (manager) => {
      // Serialise one reporter's presses (the same row CaseService locks), so five concurrent
      // presses see each other and make one case.
      await this.reporters.lockOne(manager, who.reporterId);
      const same = await this.presses.find(manager, signal.id);
      if (same) {
        if (same.reporter_id !== who.reporterId) throw idTaken('id');
        return { panic: { id: signal.id, receivedAt: same.pressed_at.toISOString() }, created: false };
      }
      const now = new Date();
      const last = await this.presses.latestForReporter(manager, who.reporterId);
      const repeat = isRepeatPanic(last?.pressed_at ?? null, now, this.config.checkins.panicWindowSeconds);
      const caseId = repeat
        ? (last?.case_id ?? null)
        : (
            await this.safety.raise(manager, {
              reporterId: who.reporterId,
              reason: CaseReason.Panic,
              severity: 'critical',
              event: 'panic',
              at: now,
            })
          ).caseId;
      await this.presses.insert(manager, {
        id: signal.id,
        reporterId: who.reporterId,
        at: now,
        repeat,
        caseId,
      });
      return { panic: { id: signal.id, receivedAt: now.toISOString() }, created: true };
    });
  }
}
