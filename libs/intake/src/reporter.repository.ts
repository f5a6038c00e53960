import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';

/** The `reporters` table's statements for other capabilities, with the caller's transaction. */
@Injectable()
export class ReporterRepository {
  /**
   * Locks reporters in id order: the row every signal about a reporter (report triage, missed
   * check-in, panic, duress) serialises on before it opens or raises their case. NO KEY UPDATE:
   * does not block the foreign-key checks of reports being submitted meanwhile.
   */
  async lockForSignals(m: EntityManager, reporterIds: readonly string[]): Promise<void> {
    await m.query(prepared(`SELECT id FROM reporters WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`), [reporterIds]);
  }
}
