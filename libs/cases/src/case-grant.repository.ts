import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface CaseGrantRow {
  readonly envelopeId: string;
  readonly kid: string;
  readonly wk: string;
  readonly by: string;
  readonly sig: string;
  readonly grantedBy: string;
  readonly createdAt: Date;
}

interface Row {
  envelope_id: string;
  kid: string;
  wk: string;
  by_kid: string;
  sig: string;
  granted_by: string;
  created_at: Date;
}

const rowOf = (r: Row): CaseGrantRow => ({
  envelopeId: r.envelope_id,
  kid: r.kid,
  wk: r.wk,
  by: r.by_kid,
  sig: r.sig,
  grantedBy: r.granted_by,
  createdAt: r.created_at,
});

/** Owner of `case_grants` (crypto-v1 §10): one envelope key sealed to one more reader. */
@Injectable()
export class CaseGrantRepository {
  /** Stores grants; a grant for an (envelope, kid) already held is kept as it was. Returns how many were new. */
  async insertMany(
    m: EntityManager,
    caseId: string,
    grantedBy: string,
    grants: readonly { envelopeId: string; kid: string; wk: string; by: string; sig: string }[],
  ): Promise<number> {
    if (grants.length === 0) return 0;
    const rows = (await m.query(
      `INSERT INTO case_grants (envelope_id, kid, case_id, wk, by_kid, sig, granted_by)
       SELECT g."envelopeId", g.kid, $1, g.wk, g.by, g.sig, $2 FROM jsonb_to_recordset($3::jsonb) AS g("envelopeId" uuid, kid text, wk text, by text, sig text)
       ON CONFLICT (envelope_id, kid) DO NOTHING RETURNING envelope_id`,
      [caseId, grantedBy, JSON.stringify(grants)],
    )) as unknown[];
    return rows.length;
  }

  /** Grants on a case's envelopes for these box kids (a reader's own). */
  async forCaseAndKids(m: EntityManager, caseId: string, kids: readonly string[]): Promise<CaseGrantRow[]> {
    const rows = (await m.query(
      `SELECT envelope_id, kid, wk, by_kid, sig, granted_by, created_at FROM case_grants WHERE case_id = $1 AND kid = ANY($2::text[]) ORDER BY created_at, envelope_id, kid`,
      [caseId, kids],
    )) as Row[];
    return rows.map(rowOf);
  }
}
