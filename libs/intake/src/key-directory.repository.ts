import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SignedDirectory } from '@panah/crypto';

/** A stored key directory as intake reads it back. */
export interface KeyDirectoryRow {
  serial: string;
  document: SignedDirectory;
  intake_kids: string[];
  expires_at: Date;
}

export interface NewKeyDirectory {
  readonly serial: number;
  readonly document: SignedDirectory;
  readonly intakeKids: readonly string[];
  readonly expiresAt: string;
  readonly publishedBy: string | null;
}

/** The `key_directories` table's statements, with the caller's manager (or transaction). */
@Injectable()
export class KeyDirectoryRepository {
  /** The directory with the highest serial, or null before the first upload. */
  async latest(m: EntityManager): Promise<KeyDirectoryRow | null> {
    const rows = (await m.query(
      `SELECT serial, document, intake_kids, expires_at FROM key_directories ORDER BY serial DESC LIMIT 1`,
    )) as KeyDirectoryRow[];
    return rows[0] ?? null;
  }

  /** One publisher at a time until the transaction ends: the serial check and the insert see one state. */
  async lockForPublish(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('panah.key_directories'))`);
  }

  async insert(m: EntityManager, d: NewKeyDirectory): Promise<void> {
    await m.query(
      `INSERT INTO key_directories (serial, document, intake_kids, expires_at, published_by) VALUES ($1, $2, $3, $4, $5)`,
      [d.serial, JSON.stringify(d.document), d.intakeKids, d.expiresAt, d.publishedBy],
    );
  }
}
