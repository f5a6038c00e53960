import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CaseRepository } from '@panah/cases';
import { fromB64u, fromUtf8, kid } from '@panah/crypto';
import { canSeeCase, type StaffRole } from '@panah/domain';
import { type StaffKeyRow, StaffKeysRepository } from '@panah/identity';
import { CaseMaterialRepository, KeyDirectoryService } from '@panah/intake';
import { caseNotFound } from './errors';

/** Who may read a case: routing only. */
export interface CaseAccess {
  readonly id: string;
  readonly reporterId: string;
  readonly teamId: string | null;
  readonly assigneeId: string | null;
  readonly state: string;
}

export interface CaseViewer {
  readonly staffId: string;
  readonly role: StaffRole;
}

/** A public key a note or message may be sealed to (crypto-v1 §9), with whose it is. */
export interface KeyRef {
  readonly kid: string;
  readonly pk: string;
  readonly label: string;
  readonly staffId: string | null;
  readonly role: 'reporter' | 'staff' | 'recovery';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Who can read a case (G6: supervisors and caseworkers of its team, and its assignee; admins
 * never) and the keys that follow from it. Every refusal is the same 404 as a missing case.
 */
@Injectable()
export class CaseReaders {
  constructor(
    private readonly cases: CaseRepository,
    private readonly staffKeys: StaffKeysRepository,
    private readonly material: CaseMaterialRepository,
    private readonly directory: KeyDirectoryService,
  ) {}

  /** The case if this viewer may read it, else a 404 (also for a malformed id). */
  async requireReadable(
    m: EntityManager,
    caseId: string,
    viewer: CaseViewer,
  ): Promise<{ access: CaseAccess; me: StaffKeyRow }> {
    if (!UUID.test(caseId)) throw caseNotFound();
    const access = await this.accessOf(m, caseId);
    if (!access) throw caseNotFound();
    const [me] = await this.staffKeys.byIds(m, [viewer.staffId]);
    if (!me || !this.canRead(me, access)) throw caseNotFound();
    return { access, me };
  }

  async accessOf(m: EntityManager, caseId: string): Promise<CaseAccess | null> {
    const r = await this.cases.access(m, caseId);
    return r
      ? { id: r.id, reporterId: r.reporter_id, teamId: r.team_id, assigneeId: r.assignee_id, state: r.state }
      : null;
  }

  canRead(
    staff: Pick<StaffKeyRow, 'staffId' | 'role' | 'teamIds' | 'status'>,
    access: Pick<CaseAccess, 'teamId' | 'assigneeId'>,
  ): boolean {
    if (staff.status !== 'active') return false;
    return canSeeCase(
      { staffId: staff.staffId, role: staff.role, teamIds: staff.teamIds },
      { teamId: access.teamId, assigneeIds: access.assigneeId ? [access.assigneeId] : [] },
    );
  }

  /** Active staff who can read the case: its team's supervisors and caseworkers, and its assignee. */
  async readersOf(
    m: EntityManager,
    access: Pick<CaseAccess, 'teamId' | 'assigneeId'>,
  ): Promise<StaffKeyRow[]> {
    const team = access.teamId ? await this.staffKeys.activeMembersOf(m, access.teamId) : [];
    const extra =
      access.assigneeId && !team.some((s) => s.staffId === access.assigneeId)
        ? await this.staffKeys.byIds(m, [access.assigneeId])
        : [];
    return [...team, ...extra.filter((s) => this.canRead(s, access))];
  }

  staffKeyRef(s: StaffKeyRow): KeyRef {
    return {
      kid: kid(fromB64u(s.boxPk, 'boxPk')),
      pk: s.boxPk,
      label: s.label,
      staffId: s.staffId,
      role: 'staff',
    };
  }

  /** The reporter's primary box key (what staff messages are sealed to). */
  async reporterKeyRef(m: EntityManager, reporterId: string): Promise<KeyRef | null> {
    const keys = await this.material.reporterKeys(m, reporterId);
    const primary = keys.find((k) => k.purpose === 'primary') ?? keys[0];
    return primary
      ? {
          kid: kid(fromB64u(primary.boxPk, 'boxPk')),
          pk: primary.boxPk,
          label: 'reporter',
          staffId: null,
          role: 'reporter',
        }
      : null;
  }

  /** Recovery keys of the current signed directory (notes are sealed to them too). */
  async recoveryKeyRefs(): Promise<KeyRef[]> {
    const current = await this.directory.current();
    if (!current) return [];
    const payload = JSON.parse(fromUtf8(fromB64u(current.document.payload, 'payload'))) as {
      intake?: { kid: string; pk: string; role: string; label: string }[];
    };
    return (payload.intake ?? [])
      .filter((e) => e.role === 'recovery')
      .map((e) => ({ kid: e.kid, pk: e.pk, label: e.label, staffId: null, role: 'recovery' as const }));
  }

  /** Keys for a staff message and for a note on this case (GET /v1/cases/{id}/recipients). */
  async recipients(
    m: EntityManager,
    access: CaseAccess,
    me: StaffKeyRow,
  ): Promise<{ message: KeyRef[]; note: KeyRef[] }> {
    const readers = await this.readersOf(m, access);
    const staff = [me, ...readers.filter((r) => r.staffId !== me.staffId)].map((s) => this.staffKeyRef(s));
    const reporter = await this.reporterKeyRef(m, access.reporterId);
    const recovery = await this.recoveryKeyRefs();
    const dedupe = (refs: KeyRef[]): KeyRef[] =>
      refs.filter((r, i) => refs.findIndex((o) => o.kid === r.kid) === i);
    return {
      message: dedupe([...(reporter ? [reporter] : []), ...staff]),
      note: dedupe([...staff, ...recovery]),
    };
  }
}
