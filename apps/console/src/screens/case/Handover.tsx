import { createGrant, fromB64u, type Grant } from '@panah/crypto';
import { useState } from 'preact/hooks';
import { typedCall } from '../../api/http';
import type { CaseDetail, StaffKey } from '../../api/types';
import { Field, Select } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { useT } from '../../i18n';
import { session } from '../../session';
import { useStore } from '../../store';
import type { OpenContext } from './casecrypto';

/**
 * Assign and hand over. The browser re-wraps every envelope key of the case for the new assignee
 * (spec §10 grants, signed with this staff member's key); the server never sees K.
 */
export function Handover({
  detail,
  envelopes,
  ctx,
  staffKeys,
  onDone,
}: {
  readonly detail: CaseDetail;
  readonly envelopes: readonly unknown[];
  readonly ctx: OpenContext;
  readonly staffKeys: readonly StaffKey[];
  readonly onDone: () => void;
}) {
  const t = useT();
  const s = useStore(session);
  const [assignee, setAssignee] = useState('');
  const [teamId, setTeamId] = useState('');
  const [newAssignee, setNewAssignee] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  if (!s) return null;
  const role = s.me.role;
  const candidates = staffKeys.filter((k) => k.role !== 'admin' && k.status === 'active');
  /** Who works in a team (a key list without team ids, from an older API, offers everyone). */
  const membersOf = (team: string) => candidates.filter((k) => !k.teamIds || k.teamIds.includes(team));
  const target = teamId.trim();

  const grantsFor = (staffId: string): Grant[] => {
    const target = staffKeys.find((k) => k.staffId === staffId);
    if (!target) return [];
    const pk = fromB64u(target.boxPk, 'boxPk');
    const out: Grant[] = [];
    for (const envelope of envelopes) {
      try {
        out.push(
          createGrant({
            envelope,
            opener: s.keys.boxKeyPair,
            grants: ctx.grants,
            trustedGranter: ctx.granterKey,
            recipientPublicKey: pk,
            granterSignSecretKey: s.keys.signKeyPair.privateKey,
          }),
        );
      } catch {
        // an envelope we cannot open ourselves cannot be passed on; the server names what is missing
      }
    }
    return out;
  };

  const assign = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice('');
    const who = assignee || s.me.staffId;
    try {
      await typedCall('POST', '/v1/cases/{id}/assign', {
        path: { id: detail.id },
        body: { assigneeId: who, grants: grantsFor(who) },
      });
      setNotice(t('case.assignedNotice'));
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  const handover = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice('');
    // Everyone who reads the case after the hand-over (the new team, and its new assignee) gets
    // every envelope key re-wrapped here; the supervisor's own access needs none.
    const readers = new Set([
      ...membersOf(target).map((k) => k.staffId),
      ...(newAssignee ? [newAssignee] : []),
    ]);
    readers.delete(s.me.staffId);
    try {
      await typedCall('POST', '/v1/cases/{id}/handover', {
        path: { id: detail.id },
        body: {
          teamId: target,
          ...(newAssignee ? { assigneeId: newAssignee } : {}),
          grants: [...readers].flatMap((id) => grantsFor(id)),
        },
      });
      setNotice(t('case.handedOverNotice'));
      onDone();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="card" aria-labelledby="assign-title">
      <h2 id="assign-title">{t('case.assignTitle')}</h2>
      <form onSubmit={assign}>
        <Select
          label={t('case.assignee')}
          value={assignee}
          onValue={setAssignee}
          options={[
            { value: '', label: t('case.me') },
            ...(role === 'supervisor'
              ? membersOf(detail.teamId ?? '')
                  .filter((k) => k.staffId !== s.me.staffId)
                  .map((k) => ({ value: k.staffId, label: `${k.label} (${t(`role.${k.role}`)})` }))
              : []),
          ]}
        />
        <button type="submit" data-testid="assign">
          {t('case.assign')}
        </button>
      </form>
      {role === 'supervisor' && (
        <form onSubmit={handover}>
          <h3>{t('case.handoverTitle')}</h3>
          <Select
            label={t('case.toTeam')}
            value={teamId}
            onValue={setTeamId}
            options={[
              { value: '', label: '—' },
              ...s.me.teams
                .filter((x) => x.id !== detail.teamId)
                .map((x) => ({ value: x.id, label: x.name })),
            ]}
          />
          <Field label={t('case.teamId')} value={teamId} onValue={setTeamId} hint={t('case.teamIdHint')} />
          <Select
            label={t('case.handoverAssignee')}
            value={newAssignee}
            onValue={setNewAssignee}
            options={[
              { value: '', label: t('case.handoverNobody') },
              ...(target ? membersOf(target) : []).map((k) => ({
                value: k.staffId,
                label: `${k.label} (${t(`role.${k.role}`)})`,
              })),
            ]}
          />
          <p class="hint">{t('case.handoverHint')}</p>
          <button type="submit" data-testid="handover">
            {t('case.handover')}
          </button>
        </form>
      )}
      <Problem error={error} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
    </section>
  );
}
