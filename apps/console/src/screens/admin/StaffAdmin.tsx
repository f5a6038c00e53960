import { useState } from 'preact/hooks';
import { call } from '../../api/http';
import type { Invitation, Role, StaffRow, Team } from '../../api/types';
import { Field, Select } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { formatDateTime, useT } from '../../i18n';
import { session } from '../../session';
import { useStore } from '../../store';
import { useLoad } from './useLoad';

const ROLES: Role[] = ['caseworker', 'supervisor', 'admin'];

/** Staff: invite (role, teams), the vetting queue a second admin approves, suspend, offboard, teams. */
export function StaffAdmin() {
  const t = useT();
  const me = useStore(session)?.me;
  const teams = useLoad(() => call<Team[]>('GET', '/v1/admin/teams'));
  const staff = useLoad(() => call<StaffRow[]>('GET', '/v1/admin/staff'));
  const invitations = useLoad(() => call<Invitation[]>('GET', '/v1/admin/invitations'));
  const [label, setLabel] = useState('');
  const [role, setRole] = useState<Role>('caseworker');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [created, setCreated] = useState<{ token: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const invite = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setFieldErrors({});
    try {
      const res = await call<{ token: string; expiresAt: string }>('POST', '/v1/admin/invitations', {
        body: { label, role, teamIds },
      });
      setCreated(res);
      setLabel('');
      invitations.reload();
    } catch (err) {
      setError(err);
      const fields = (err as { fields?: { path: string; message: string }[] }).fields ?? [];
      setFieldErrors(Object.fromEntries(fields.map((f) => [f.path, f.message])));
    }
  };

  const act = async (id: string, action: 'approve' | 'reject' | 'suspend' | 'offboard') => {
    setError(null);
    if ((action === 'offboard' || action === 'suspend') && !confirm(t(`staff.confirm.${action}`))) return;
    try {
      await call('POST', `/v1/admin/staff/{id}/${action}`, { path: { id } });
      staff.reload();
    } catch (err) {
      setError(err);
    }
  };

  // An added membership waits for a second admin (pendingTeamIds); a removal is at once. The list
  // sent keeps the pending ones, since a team left out of it is withdrawn.
  const setMembership = async (row: StaffRow, teamId: string, on: boolean) => {
    setError(null);
    const current = [...row.teamIds, ...(row.pendingTeamIds ?? [])];
    try {
      const next = on ? [...new Set([...current, teamId])] : current.filter((x) => x !== teamId);
      await call('PUT', '/v1/admin/staff/{id}/teams', { path: { id: row.id }, body: { teamIds: next } });
      staff.reload();
    } catch (err) {
      setError(err);
    }
  };

  const approveTeam = async (row: StaffRow, teamId: string) => {
    setError(null);
    try {
      await call('POST', '/v1/admin/staff/{id}/teams/{teamId}/approve', { path: { id: row.id, teamId } });
      staff.reload();
    } catch (err) {
      setError(err);
    }
  };

  const teamName = (id: string) => teams.data?.find((x) => x.id === id)?.name ?? id.slice(0, 8);
  const pending = (staff.data ?? []).filter((s) => s.status === 'pending_vetting');
  const link = created ? `${location.origin}/console/#/register/${created.token}` : '';

  return (
    <div class="stack">
      <h1>{t('nav.staff')}</h1>
      <Problem error={error ?? staff.error ?? teams.error} />
      <form class="card" onSubmit={invite} aria-labelledby="invite-title">
        <h2 id="invite-title">{t('staff.invite')}</h2>
        <Field
          label={t('staff.label')}
          value={label}
          onValue={setLabel}
          name="label"
          error={fieldErrors.label}
          hint={t('staff.labelHint')}
        />
        <Select
          label={t('staff.role')}
          value={role}
          onValue={(v) => setRole(v as Role)}
          name="role"
          error={fieldErrors.role}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <fieldset>
          <legend>{t('staff.teams')}</legend>
          {(teams.data ?? []).map((team) => (
            <label class="check" key={team.id}>
              <input
                type="checkbox"
                checked={teamIds.includes(team.id)}
                onChange={(e) =>
                  setTeamIds((ids) =>
                    (e.currentTarget as HTMLInputElement).checked
                      ? [...ids, team.id]
                      : ids.filter((x) => x !== team.id),
                  )
                }
              />
              {team.name}
            </label>
          ))}
          {fieldErrors.teamIds && <p class="error-text">{fieldErrors.teamIds}</p>}
        </fieldset>
        <button type="submit" class="primary">
          {t('staff.sendInvite')}
        </button>
        {created && (
          <div class="notice" role="status" data-testid="invitation">
            <p>{t('staff.inviteOnce', { when: formatDateTime(created.expiresAt) })}</p>
            <p>
              <code class="secret" data-testid="invitation-link" dir="ltr">
                {link}
              </code>
            </p>
          </div>
        )}
      </form>

      <section class="card" aria-labelledby="pending-title">
        <h2 id="pending-title">{t('staff.pending')}</h2>
        {pending.length === 0 && <p>{t('staff.noPending')}</p>}
        <ul class="rows">
          {pending.map((p) => (
            <li key={p.id} data-testid={`pending-${p.login}`}>
              <span>
                <strong>{p.login}</strong> — {p.label} ({t(`role.${p.role}`)})
              </span>
              {p.invitedBy === me?.staffId ? (
                <span class="hint">{t('staff.notYours')}</span>
              ) : (
                <span class="buttons">
                  <button type="button" class="primary" onClick={() => act(p.id, 'approve')}>
                    {t('staff.approve')}
                  </button>
                  <button type="button" onClick={() => act(p.id, 'reject')}>
                    {t('staff.reject')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section class="card" aria-labelledby="all-title">
        <h2 id="all-title">{t('staff.all')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('signin.login')}</th>
                <th scope="col">{t('staff.role')}</th>
                <th scope="col">{t('staff.status')}</th>
                <th scope="col">{t('staff.teams')}</th>
                <th scope="col">{t('staff.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(staff.data ?? []).map((row) => (
                <tr key={row.id} data-testid={`staff-${row.login}`}>
                  <td>
                    {row.login}
                    <div class="hint">{row.label}</div>
                  </td>
                  <td>{t(`role.${row.role}`)}</td>
                  <td>{t(`status.${row.status}`)}</td>
                  <td>
                    {(teams.data ?? []).map((team) => {
                      const waiting = (row.pendingTeamIds ?? []).includes(team.id);
                      return (
                        <div key={team.id} class={waiting ? 'membership waiting' : 'membership'}>
                          <label class="check">
                            <input
                              type="checkbox"
                              checked={row.teamIds.includes(team.id) || waiting}
                              disabled={row.status !== 'active' && row.status !== 'pending_vetting'}
                              onChange={(e) =>
                                setMembership(row, team.id, (e.currentTarget as HTMLInputElement).checked)
                              }
                            />
                            {teamName(team.id)}
                          </label>
                          {waiting && (
                            <span class="buttons" data-testid={`membership-pending-${team.name}`}>
                              <span class="hint">{t('staff.membershipWaiting')}</span>
                              <button type="button" onClick={() => approveTeam(row, team.id)}>
                                {t('staff.approveMembership')}
                              </button>
                            </span>
                          )}
                        </div>
                      );
                    })}
                  </td>
                  <td>
                    {row.status === 'active' && row.id !== me?.staffId && (
                      <span class="buttons">
                        <button type="button" onClick={() => act(row.id, 'suspend')}>
                          {t('staff.suspend')}
                        </button>
                        <button type="button" class="danger" onClick={() => act(row.id, 'offboard')}>
                          {t('staff.offboard')}
                        </button>
                      </span>
                    )}
                    {row.status === 'suspended' && (
                      <button type="button" class="danger" onClick={() => act(row.id, 'offboard')}>
                        {t('staff.offboard')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
