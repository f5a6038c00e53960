import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_OWNERS } from '@panah/db';
import { createTestDatabase, rowsOf, type TestDatabase } from '../support/database';
import { checkTableOwnership, type OwnershipRules } from '../support/table-ownership';

/**
 * Issue 14: each table has one owning library (libs/db/src/table-owners.ts), and all SQL that
 * touches it lives in that library's `*.repository.ts`. Checked like the schema-drift test: the
 * owner map must cover exactly the migrated schema, and the source must keep to it.
 */
const rules: OwnershipRules = {
  owners: TABLE_OWNERS,
  // A change and the job it causes are one statement (outboxRowValues): any owner may insert its
  // outbox row; reading, relaying and pruning the outbox are libs/queue's.
  sharedInserts: ['outbox'],
  // Reads of another owner's table inside one statement, where a second round trip would cost a
  // hot path its latency. Reads only: the check refuses any write of these tables.
  foreignTables: {
    'libs/escalation/src/directory.repository.ts': {
      tables: ['staff', 'staff_teams'],
      why: 'the directory an escalation step alerts (team members, schedules, contact order) is one round trip per step (G4 lateness)',
    },
    'libs/escalation/src/notification.repository.ts': {
      tables: ['cases'],
      why: 'claiming a notification reads the case severity in the claiming statement, once per delivery attempt',
    },
    'libs/escalation/src/case-event-sweep.repository.ts': {
      tables: ['cases'],
      why: 'the lost-job sweep finds open cases without a run, or ahead of their run, in one anti-join per sweep (issue #20)',
    },
    'libs/triage/src/rule-set.repository.ts': {
      tables: ['teams', 'escalation_policies'],
      why: 'the routing context (active rule set and teams) is one round trip per triage batch; policy ids are read to validate a rule set',
    },
  },
  // The ratchet: files that still run SQL outside a repository. It may only shrink: a file that
  // no longer runs SQL must leave the list, and no file may join it.
  legacySqlFiles: [],
};

describe('table ownership', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('gives every table of the migrated schema exactly one owner, and names no table that does not exist', async () => {
    const rows = await rowsOf<{ table_name: string }>(
      db.url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name`,
    );
    expect(Object.keys(TABLE_OWNERS).sort()).toEqual(rows.map((r) => r.table_name).sort());
    // Every owner is a library of this repository.
    for (const owner of new Set(Object.values(TABLE_OWNERS)))
      expect(existsSync(join(process.cwd(), 'libs', owner, 'src', 'index.ts'))).toBe(true);
  });

  it("names no other library's table in any library's SQL", () => {
    expect(checkTableOwnership(process.cwd(), rules).foreignTableUses).toEqual([]);
  });

  it('runs SQL only in repositories and migrations (besides the shrinking legacy list)', () => {
    const report = checkTableOwnership(process.cwd(), rules);
    expect(report.scannedFiles).toBeGreaterThan(100);
    expect(report.sqlOutsideRepositories).toEqual([]);
    expect(report.staleExceptions).toEqual([]);
  });

  it("names each library's tables in README's folder table exactly as TABLE_OWNERS does", () => {
    // A row of the folder table: | `libs/<name>` | … Tables: `a`, `b`, `c` (…). |
    const listed: Record<string, string[]> = {};
    for (const line of readFileSync(join(process.cwd(), 'README.md'), 'utf8').split('\n')) {
      const row = /^\| `libs\/([a-z-]+)`\s*\|(.*)\|\s*$/.exec(line);
      if (!row) continue;
      const tables = /Tables: ((?:`[a-z0-9_]+`(?:, )?)+)/.exec(row[2]);
      listed[row[1]] = tables ? [...tables[1].matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]).sort() : [];
    }
    const owned: Record<string, string[]> = {};
    for (const [table, owner] of Object.entries(TABLE_OWNERS)) (owned[owner] ??= []).push(table);
    for (const owner of Object.keys(owned)) owned[owner].sort();
    const withTables = Object.fromEntries(Object.entries(listed).filter(([, tables]) => tables.length > 0));
    expect(withTables).toEqual(owned);
  });

  it("fails on a library that writes or reads another library's table, or runs SQL outside a repository", () => {
    const fixture = join(process.cwd(), 'test', 'foundation', 'fixtures', 'ownership');
    const report = checkTableOwnership(fixture, {
      owners: TABLE_OWNERS,
      sharedInserts: ['outbox'],
      foreignTables: {
        'libs/escalation/src/directory.repository.ts': { tables: ['staff', 'staff_teams'], why: 'fixture' },
      },
      legacySqlFiles: ['libs/escalation/src/gone.ts'],
    });
    expect(report.foreignTableUses.sort()).toEqual([
      // An exception allows reading another owner's table, never writing it.
      'libs/escalation/src/directory.repository.ts: staff_teams (owned by identity)',
      'libs/triage/src/report-status.repository.ts: escalation_runs (owned by escalation)',
      'libs/triage/src/report-status.repository.ts: reports (owned by intake)',
    ]);
    expect(report.sqlOutsideRepositories).toEqual(['libs/triage/src/triage.service.ts']);
    expect(report.staleExceptions).toEqual(['legacy SQL file libs/escalation/src/gone.ts']);
  });
});
