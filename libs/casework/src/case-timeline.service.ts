import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import {
  CaseEventRepository,
  CaseGrantRepository,
  CaseNoteRepository,
  CaseRepository,
  type CaseListFilter,
  type CaseListRow,
} from '@panah/cases';
import { SafetyTimelineRepository } from '@panah/checkins';
import { fromB64u, fromUtf8, type HintsCipher, kid } from '@panah/crypto';
import { StaffRole } from '@panah/domain';
import { EscalationHistory } from '@panah/escalation';
import { StaffKeysRepository } from '@panah/identity';
import { CaseMaterialRepository, ConversationRepository, HINTS_CIPHER } from '@panah/intake';
import { CaseReaders, type CaseViewer } from './case-readers';
import { badCursor } from './errors';

export interface CaseSummary {
  readonly id: string;
  readonly state: string;
  readonly severity: string;
  readonly reasons: string[];
  readonly teamId: string | null;
  readonly assigneeId: string | null;
  readonly deadlineAt: string;
  readonly openedAt: string;
}

export type TimelineEntry = { readonly at: string; readonly type: string } & Record<string, unknown>;

export interface CaseDetail extends CaseSummary {
  readonly updatedAt: string;
  readonly resolvedAt: string | null;
  readonly escalation: {
    id: string;
    state: string;
    step: number;
    round: number;
    acknowledgedBy: string | null;
    acknowledgedAt: string | null;
  } | null;
  readonly reporter: {
    id: string;
    boxKid: string | null;
    boxPk: string | null;
    signKeys: { kid: string; signPk: string }[];
  };
  readonly grants: { envelopeId: string; kid: string; wk: string; by: string; sig: string }[];
  readonly timeline: TimelineEntry[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export const summaryOf = (r: CaseListRow): CaseSummary => ({
  id: r.id,
  state: r.state,
  severity: r.severity,
  reasons: r.reasons,
  teamId: r.team_id,
  assigneeId: r.assignee_id,
  deadlineAt: r.deadline_at.toISOString(),
  openedAt: r.opened_at.toISOString(),
});

/**
 * The case list and the case view of the people who work cases (issue 15 point 1): a caseworker
 * sees the cases of their teams and those assigned to them, a supervisor those of their teams;
 * the view carries severity, state, reasons, team, assignee, deadline, acknowledgement and the
 * whole timeline in order. Every view is audited.
 */
@Injectable()
export class CaseTimelineService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(HINTS_CIPHER) private readonly hintsCipher: HintsCipher,
    private readonly cases: CaseRepository,
    private readonly readers: CaseReaders,
    private readonly staffKeys: StaffKeysRepository,
    private readonly material: CaseMaterialRepository,
    private readonly conversation: ConversationRepository,
    private readonly notes: CaseNoteRepository,
    private readonly grants: CaseGrantRepository,
    private readonly events: CaseEventRepository,
    private readonly safety: SafetyTimelineRepository,
    private readonly escalation: EscalationHistory,
    private readonly audit: AuditLog,
  ) {}

  async list(
    viewer: CaseViewer,
    f: CaseListFilter,
  ): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
    if (f.cursor !== undefined && !UUID.test(f.cursor)) throw badCursor();
    const m = this.dataSource.manager;
    const [me] = await this.staffKeys.byIds(m, [viewer.staffId]);
    if (!me || me.role === StaffRole.Admin) return { items: [], nextCursor: null };
    // Cases of their teams, and those assigned to them.
    const scope = { teamIds: me.teamIds, assigneeId: me.staffId };
    const rows = await this.cases.listForStaff(m, scope, f);
    const page = rows.slice(0, f.limit);
    return {
      items: page.map(summaryOf),
      nextCursor: rows.length > f.limit ? page[page.length - 1].id : null,
    };
  }

  async view(caseId: string, viewer: CaseViewer): Promise<CaseDetail> {
    return this.dataSource.transaction(async (m) => {
      const { access, me } = await this.readers.requireReadable(m, caseId, viewer);
      const c = await this.cases.detail(m, access.id);
      if (!c) throw new Error('case vanished inside its transaction');
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: me.staffId,
        action: 'case.viewed',
        targetType: 'case',
        targetId: c.id,
      });
      const [reports, messages, notes, events, safety, esc, reporterKeys] = [
        await this.material.reportsOfCase(m, c.id),
        await this.conversation.forCase(m, c.id),
        await this.notes.forCase(m, c.id),
        await this.events.forCase(m, c.id),
        await this.safety.forCase(m, c.id, c.reporter_id, c.opened_at),
        await this.escalation.forCase(m, c.id),
        await this.material.reporterKeys(m, c.reporter_id),
      ];
      const myBoxKid = kid(fromB64u(me.boxPk, 'boxPk'));
      const grants = await this.grants.forCaseAndKids(m, c.id, [myBoxKid]);
      // Hints are for staff of the case's team (G2), not for an assignee from elsewhere.
      const teamStaff = c.team_id !== null && me.teamIds.includes(c.team_id);
      const timeline: TimelineEntry[] = [];
      for (const r of reports) {
        timeline.push({
          at: r.receivedAt.toISOString(),
          type: 'report',
          reportId: r.id,
          envelope: r.envelope,
          hints:
            teamStaff && r.hints !== null
              ? (JSON.parse(fromUtf8(this.hintsCipher.decrypt(r.id, r.hints))) as unknown)
              : null,
          attachments: r.attachments,
        });
      }
      for (const msg of messages)
        timeline.push({
          at: msg.createdAt.toISOString(),
          type: 'message',
          messageId: msg.id,
          from: msg.from,
          authorStaffId: msg.authorStaffId,
          envelope: msg.envelope,
        });
      for (const n of notes)
        timeline.push({
          at: n.createdAt.toISOString(),
          type: 'note',
          noteId: n.id,
          authorStaffId: n.authorId,
          envelope: n.envelope,
        });
      for (const s of safety) timeline.push({ at: s.at.toISOString(), type: 'checkin', kind: s.kind });
      for (const e of esc.events)
        timeline.push({
          at: e.at.toISOString(),
          type: 'escalation',
          kind: e.kind,
          step: e.step,
          round: e.round,
          actorId: e.actorId,
        });
      for (const n of esc.notifications) {
        timeline.push({
          at: n.createdAt.toISOString(),
          type: 'notification',
          notificationKind: n.kind,
          recipientId: n.recipientId,
          channel: n.channel,
          status: n.status,
          deliveredAt: iso(n.deliveredAt),
        });
      }
      for (const e of events) {
        const d = e.details as Record<string, string | null>;
        timeline.push(
          e.kind === 'assigned'
            ? {
                at: e.at.toISOString(),
                type: 'assignment',
                assigneeId: d.assigneeId ?? null,
                byStaffId: e.actorId,
              }
            : {
                at: e.at.toISOString(),
                type: 'handover',
                fromTeamId: d.fromTeamId ?? null,
                teamId: d.teamId ?? null,
                assigneeId: d.assigneeId ?? null,
                byStaffId: e.actorId,
              },
        );
      }
      // Stable: entries at the same instant keep the order of their kinds above.
      timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const primary = reporterKeys.find((k) => k.purpose === 'primary') ?? null;
      return {
        id: c.id,
        state: c.state,
        severity: c.severity,
        reasons: c.reasons,
        teamId: c.team_id,
        assigneeId: c.assignee_id,
        deadlineAt: c.deadline_at.toISOString(),
        openedAt: c.opened_at.toISOString(),
        updatedAt: c.updated_at.toISOString(),
        resolvedAt: iso(c.resolved_at),
        escalation: esc.run ? { ...esc.run, acknowledgedAt: iso(esc.run.acknowledgedAt) } : null,
        reporter: {
          id: c.reporter_id,
          boxKid: primary ? kid(fromB64u(primary.boxPk, 'boxPk')) : null,
          boxPk: primary?.boxPk ?? null,
          signKeys: reporterKeys.map((k) => ({ kid: k.kid, signPk: k.signPk })),
        },
        grants: grants.map((g) => ({ envelopeId: g.envelopeId, kid: g.kid, wk: g.wk, by: g.by, sig: g.sig })),
        timeline,
      };
    });
  }
}
