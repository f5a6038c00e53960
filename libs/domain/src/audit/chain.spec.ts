import {
  AUDIT_GENESIS_HASH,
  AuditChainVerifier,
  auditEntryProblem,
  auditHash,
  AuditRow,
  canonicalAuditEntry,
} from './chain';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = AUDIT_GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = {
      seq: String(i),
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actorType: 'staff' as const,
      actorId: `s${i}`,
      action: 'staff.approved',
      targetType: 'staff',
      targetId: `t${i}`,
      details: { role: 'caseworker', n: i },
    };
    const hash = auditHash(prev, fields);
    rows.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

function verify(rows: AuditRow[], head: { lastSeq: string; lastHash: string }) {
  const v = new AuditChainVerifier();
  for (const r of rows) {
    const broken = v.push(r);
    if (broken) return broken;
  }
  return v.finish(head);
}

describe('audit chain', () => {
  const rows = chain(5);
  const head = { lastSeq: '5', lastHash: rows[4].hash };

  it('verifies an untouched chain', () => {
    expect(verify(rows, head)).toBeNull();
  });

  it('does not depend on the order of detail keys (jsonb reorders them)', () => {
    const a = canonicalAuditEntry({ ...rows[0], details: { a: 1, b: 'x' } });
    const b = canonicalAuditEntry({ ...rows[0], details: { b: 'x', a: 1 } });
    expect(a).toBe(b);
  });

  it('finds a changed field at its row', () => {
    const tampered = rows.map((r, i) => (i === 2 ? { ...r, targetId: 'someone-else' } : r));
    expect(verify(tampered, head)).toEqual({ seq: '3', problem: 'hash_mismatch' });
  });

  it('finds a deleted row where the gap is', () => {
    expect(verify([...rows.slice(0, 2), ...rows.slice(3)], head)).toEqual({ seq: '3', problem: 'seq_gap' });
  });

  it('finds a deleted tail through the chain head', () => {
    expect(verify(rows.slice(0, 4), head)).toEqual({ seq: '5', problem: 'head_mismatch' });
  });

  it('finds a row re-hashed after editing through the next link', () => {
    const edited = { ...rows[1], action: 'staff.rejected' };
    const rehashed = { ...edited, hash: auditHash(edited.prevHash, edited) };
    expect(verify([rows[0], rehashed, ...rows.slice(2)], head)).toEqual({
      seq: '3',
      problem: 'prev_hash_mismatch',
    });
  });

  it('refuses entries that could carry content', () => {
    const base = {
      actorType: 'staff' as const,
      actorId: 'a',
      action: 'case.read',
      targetType: 'case',
      targetId: 'c',
      details: {},
    };
    expect(auditEntryProblem(base)).toBeNull();
    expect(auditEntryProblem({ ...base, action: 'Read case' })).not.toBeNull();
    expect(auditEntryProblem({ ...base, details: { note: 'x'.repeat(500) } })).not.toBeNull();
    expect(auditEntryProblem({ ...base, actorId: null })).not.toBeNull();
  });
});
