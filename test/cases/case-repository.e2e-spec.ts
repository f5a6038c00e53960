import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CaseRepository, CaseService } from '@panah/cases';
import { createDataSource } from '@panah/db';
import { CaseReason } from '@panah/domain';
import { ReporterRepository } from '@panah/intake';
import { caseUpdatedJobId, JobName } from '@panah/queue';
import { createTestDatabase, rowsOf, type TestDatabase } from '../support/database';

/** The cases table's owner against a real PostgreSQL: every state change is versioned and announced. */
describe('CaseRepository', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const cases = new CaseRepository();
  const service = new CaseService(cases, new ReporterRepository());

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 2 });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function openCase(): Promise<string> {
    const reporterId = `r-${randomUUID()}`;
    await ds.query(`INSERT INTO reporters (id) VALUES ($1)`, [reporterId]);
    const outcome = await ds.transaction((m) =>
      service.openOrRaise(m, {
        reporterId,
        severity: 'high',
        teamId: null,
        policyId: null,
        deadlineAt: new Date(Date.now() + 600_000),
        reason: CaseReason.Report,
        repeat: false,
      }),
    );
    return outcome.caseId;
  }

  async function updates(
    caseId: string,
  ): Promise<{ job_id: string; payload: { caseId: string; version: number } }[]> {
    return rowsOf(
      db.url,
      `SELECT job_id, payload FROM outbox WHERE job_name = $1 AND payload->>'caseId' = $2 ORDER BY id`,
      [JobName.CaseUpdated, caseId],
    );
  }

  async function stored(
    caseId: string,
  ): Promise<{ state: string; version: number; assignee_id: string | null; resolved_at: Date | null }> {
    const [row] = await rowsOf<{
      state: string;
      version: number;
      assignee_id: string | null;
      resolved_at: Date | null;
    }>(db.url, `SELECT state, version, assignee_id, resolved_at FROM cases WHERE id = $1`, [caseId]);
    return row;
  }

  it('acknowledging bumps the version and announces case.updated in the same transaction', async () => {
    const caseId = await openCase();
    expect(await ds.transaction((m) => cases.acknowledge(m, caseId))).toEqual({ caseId, version: 2 });
    expect(await stored(caseId)).toMatchObject({ state: 'acknowledged', version: 2 });
    expect(await updates(caseId)).toEqual([
      { job_id: caseUpdatedJobId(caseId, 2), payload: { caseId, version: 2 } },
    ]);
    // A second acknowledgement changes nothing and announces nothing.
    expect(await ds.transaction((m) => cases.acknowledge(m, caseId))).toBeNull();
    expect((await updates(caseId)).length).toBe(1);
  });

  it('resolving bumps the version once, and a rolled-back resolve leaves neither the change nor its event', async () => {
    const caseId = await openCase();
    const at = new Date();
    await expect(
      ds.transaction(async (m) => {
        await cases.resolve(m, caseId, at);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await stored(caseId)).toMatchObject({ state: 'open', version: 1 });
    expect(await updates(caseId)).toEqual([]);
    expect(await ds.transaction((m) => cases.resolve(m, caseId, at))).toEqual({ caseId, version: 2 });
    expect((await stored(caseId)).state).toBe('resolved');
    expect(await ds.transaction((m) => cases.resolve(m, caseId, at))).toBeNull();
    expect(await updates(caseId)).toEqual([
      { job_id: caseUpdatedJobId(caseId, 2), payload: { caseId, version: 2 } },
    ]);
  });

  it('assigning is a versioned change too, and assigning the same person again is none', async () => {
    const caseId = await openCase();
    const staffId = randomUUID();
    await ds.query(
      `INSERT INTO staff (id, login, label, role, status, kdf_salt, box_pk, sign_pk, protected_secret) VALUES ($1, $2, 'cw', 'caseworker', 'active', 's', 'b', 's', 'p')`,
      [staffId, `cw-${staffId}`],
    );
    expect(await ds.transaction((m) => cases.assign(m, caseId, staffId))).toEqual({ caseId, version: 2 });
    expect(await ds.transaction((m) => cases.assign(m, caseId, staffId))).toBeNull();
    expect(await stored(caseId)).toMatchObject({ assignee_id: staffId, version: 2 });
    const [listed] = await cases.listForStaff(
      ds.manager,
      { teamIds: [], assigneeId: staffId },
      { limit: 10 },
    );
    expect(listed).toMatchObject({ id: caseId, assignee_id: staffId });
  });
});
