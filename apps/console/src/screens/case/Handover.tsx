import { createGrant, fromB64u, type Grant } from '@panah/crypto';
import { useState } from 'preact/hooks';
import { call } from '../../api/http';
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
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  if (!s) return null;
  const role = s.me.role;
  const candidates = staffKeys.filter((k) => k.role !== 'admin' && k.status === 'active');

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
      await call('POST', '/v1/cases/{id}/assign', {
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
    try {
      await call('POST', '/v1/cases/{id}/handover', {
        path: { id: detail.id },
        body: {
          teamId: teamId.trim(),
          ...(assignee ? { assigneeId: assignee, grants: grantsFor(assignee) } : {}),
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
              ? candidates
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
          <button type="submit">{t('case.handover')}</button>
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
