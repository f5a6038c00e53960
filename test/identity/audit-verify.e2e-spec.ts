import { type RunningApp, startApi } from '../support/apps';
import { panah } from '../support/cli';
import { createTestDatabase, sql, type TestDatabase } from '../support/database';
import { signedInStaff, type TestStaff } from '../support/staff';
import { sharedEnv } from './env';

/** `panah audit verify` against a real database whose audit rows are tampered with by hand. */
describe('panah audit verify', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let env: Record<string, string>;
  let admin: TestStaff;

  /** Tampering as the database owner would: with the append-only trigger switched off. */
  const asOwner = async (
    run: (
      q: (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>,
    ) => Promise<void>,
  ) => {
    const client = await sql(db.url);
    try {
      await client.query(`SET session_replication_role = replica`);
      await run((text, params) => client.query(text, params));
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const shared = sharedEnv(db.url);
    env = shared.env;
    api = await startApi(shared.config);
    admin = await signedInStaff(api, db, { role: 'admin' });
    // Concurrent appends from many requests at once must still form one unbroken chain.
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${api.url}/v1/admin/teams`, {
          method: 'POST',
          headers: { ...admin.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Team ${i}`, regions: ['DE'], languages: ['fa'] }),
        }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(12).fill(201));
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('accepts the untouched chain, built by concurrent requests', async () => {
    const run = await panah(['audit', 'verify'], env);
    expect(run).toMatchObject({ code: 0 });
    expect(run.out[0]).toMatch(/^audit log intact: 13 entries, head [0-9a-f]{128}$/);
  });

  it('is append-only for the application: UPDATE and DELETE are refused by the database', async () => {
    const client = await sql(db.url);
    try {
      await expect(client.query(`UPDATE audit_log SET action = 'x.y' WHERE seq = 1`)).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(/append-only/);
    } finally {
      await client.close();
    }
  });

  it('finds a changed field and names the entry', async () => {
    let original = '';
    await asOwner(async (q) => {
      original = String((await q(`SELECT target_id FROM audit_log WHERE seq = 5`)).rows[0].target_id);
      await q(`UPDATE audit_log SET target_id = $1 WHERE seq = 5`, ['00000000-0000-4000-8000-000000000000']);
    });
    const run = await panah(['audit', 'verify'], env);
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/BROKEN at entry 5: hash mismatch/);
    await asOwner(async (q) => {
      await q(`UPDATE audit_log SET target_id = $1 WHERE seq = 5`, [original]);
    });
    expect((await panah(['audit', 'verify'], env)).code).toBe(0);
  });

  it('finds a changed time or detail', async () => {
    await asOwner(async (q) => {
      await q(`UPDATE audit_log SET details = details || '{"forged": true}'::jsonb WHERE seq = 2`);
    });
    const run = await panah(['audit', 'verify'], env);
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/entry 2: hash mismatch/);
    await asOwner(async (q) => {
      await q(`UPDATE audit_log SET details = details - 'forged' WHERE seq = 2`);
    });
  });

  it('finds a deleted row, in the middle and at the end', async () => {
    let saved: Record<string, unknown> = {};
    await asOwner(async (q) => {
      saved = (await q(`SELECT * FROM audit_log WHERE seq = 7`)).rows[0];
      await q(`DELETE FROM audit_log WHERE seq = 7`);
    });
    const middle = await panah(['audit', 'verify'], env);
    expect(middle.code).toBe(2);
    expect(middle.err.join('\n')).toMatch(/BROKEN at entry 7: seq gap/);
    await asOwner(async (q) => {
      const cols = Object.keys(saved);
      await q(
        `INSERT INTO audit_log (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        cols.map((c) => (c === 'details' ? JSON.stringify(saved[c]) : saved[c])),
      );
      await q(`DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`);
    });
    const tail = await panah(['audit', 'verify'], env);
    expect(tail.code).toBe(2);
    expect(tail.err.join('\n')).toMatch(/BROKEN at entry 13: head mismatch/);
  });
});
