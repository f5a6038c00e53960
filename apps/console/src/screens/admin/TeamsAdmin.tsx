import { useState } from 'preact/hooks';
import { call } from '../../api/http';
import type { StaffRow, Team } from '../../api/types';
import { Field, Select } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { formatDateTime, useT } from '../../i18n';
import { useLoad } from './useLoad';

const DAY = 86_400_000;

/** Who is on call at each of the next seven handoffs: the week view. */
function WeekView({
  teamId,
  nameOf,
}: {
  readonly teamId: string;
  readonly nameOf: (id: string | null) => string;
}) {
  const t = useT();
  // Seven daily samples for the week view, then weekly ones (rotations hand off once a week) until
  // someone else is on call: that is who is next.
  const week = useLoad(async () => {
    const now = Date.now();
    const at = (ms: number) =>
      call<{ at: string; staffId: string | null }>('GET', '/v1/admin/teams/{teamId}/on-call', {
        path: { teamId },
        query: { at: new Date(ms).toISOString() },
      });
    const days = await Promise.all(Array.from({ length: 7 }, (_, d) => at(now + d * DAY)));
    const later = await Promise.all(Array.from({ length: 8 }, (_, w) => at(now + (w + 1) * 7 * DAY)));
    const current = days[0]?.staffId ?? null;
    const next = [...days, ...later].find((x) => x.staffId !== current)?.staffId ?? current;
    return { days, current, next };
  }, [teamId]);
  if (week.error) return <Problem error={week.error} />;
  if (!week.data) return <p role="status">{t('common.loading')}</p>;
  const { days, current, next } = week.data;
  return (
    <>
      <p class="notice" data-testid="oncall-now-next">
        {t('teams.nowNext', { now: nameOf(current), next: nameOf(next) })}
      </p>
      <table class="week" data-testid="oncall-week">
        <caption>{t('teams.week')}</caption>
        <thead>
          <tr>
            {days.map((d, i) => (
              <th scope="col" key={d.at}>
                {i === 0
                  ? t('teams.now')
                  : new Intl.DateTimeFormat(document.documentElement.lang, {
                      weekday: 'short',
                      day: 'numeric',
                    }).format(new Date(d.at))}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {days.map((d) => (
              <td key={d.at} class={d.staffId ? '' : 'nobody'}>
                {nameOf(d.staffId)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </>
  );
}

/** Teams, their routing attributes, and their on-call rotation with overrides. */
export function TeamsAdmin() {
  const t = useT();
  const teams = useLoad(() => call<Team[]>('GET', '/v1/admin/teams'));
  const staff = useLoad(() => call<StaffRow[]>('GET', '/v1/admin/staff', { query: { status: 'active' } }));
  const [name, setName] = useState('');
  const [regions, setRegions] = useState('');
  const [languages, setLanguages] = useState('');
  const [selected, setSelected] = useState('');
  const [tz, setTz] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [handoff, setHandoff] = useState('09:00');
  const [rotationStart, setRotationStart] = useState(new Date().toISOString().slice(0, 10));
  const [members, setMembers] = useState<string[]>([]);
  const [ovStaff, setOvStaff] = useState('');
  const [ovFrom, setOvFrom] = useState('');
  const [ovTo, setOvTo] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);

  const list = (s: string) => s.split(/[\s,]+/).filter(Boolean);
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await call('POST', '/v1/admin/teams', {
        body: { name, regions: list(regions).map((r) => r.toUpperCase()), languages: list(languages) },
      });
      setName('');
      teams.reload();
    } catch (err) {
      setError(err);
    }
  };
  const saveSchedule = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await call('PUT', '/v1/admin/teams/{teamId}/on-call', {
        path: { teamId: selected },
        body: { timeZone: tz, handoffTime: handoff, rotationStart, members },
      });
      setN((x) => x + 1);
    } catch (err) {
      setError(err);
    }
  };
  const addOverride = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await call('POST', '/v1/admin/teams/{teamId}/on-call/overrides', {
        path: { teamId: selected },
        body: {
          staffId: ovStaff,
          startsAt: new Date(ovFrom).toISOString(),
          endsAt: new Date(ovTo).toISOString(),
        },
      });
      setN((x) => x + 1);
    } catch (err) {
      setError(err);
    }
  };
  const nameOf = (id: string | null) =>
    id ? (staff.data?.find((s) => s.id === id)?.login ?? id.slice(0, 8)) : t('teams.nobody');
  // Only active, non-admin members of the chosen team can be on call (G6: admins never are); the API
  // refuses anyone else, so the form does not offer them.
  const staffOptions = (staff.data ?? [])
    .filter((s) => s.role !== 'admin' && s.teamIds.includes(selected))
    .map((s) => ({ value: s.id, label: s.login }));

  return (
    <div class="stack">
      <h1>{t('nav.teams')}</h1>
      <Problem error={error ?? teams.error} />
      <section class="card">
        <ul class="rows">
          {(teams.data ?? []).map((team) => (
            <li key={team.id}>
              <span>
                <strong>{team.name}</strong>{' '}
                <span class="hint">{[...team.regions, ...team.languages].join(' · ')}</span> —{' '}
                {t('teams.members', { count: team.members })}
              </span>
              <button type="button" onClick={() => setSelected(team.id)} aria-pressed={selected === team.id}>
                {t('teams.onCall')}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {selected && (
        <section class="card" aria-labelledby="oncall-title">
          <h2 id="oncall-title">
            {t('teams.onCallOf', { name: teams.data?.find((x) => x.id === selected)?.name ?? '' })}
          </h2>
          <WeekView key={`${selected}-${n}`} teamId={selected} nameOf={nameOf} />
          <form onSubmit={saveSchedule}>
            <h3>{t('teams.rotation')}</h3>
            <div class="row">
              <Field label={t('teams.timeZone')} value={tz} onValue={setTz} />
              <Field label={t('teams.handoff')} value={handoff} onValue={setHandoff} type="time" />
              <Field
                label={t('teams.rotationStart')}
                value={rotationStart}
                onValue={setRotationStart}
                type="date"
              />
            </div>
            <fieldset>
              <legend>{t('teams.order')}</legend>
              {staffOptions.map((s) => (
                <label class="check" key={s.value}>
                  <input
                    type="checkbox"
                    checked={members.includes(s.value)}
                    onChange={(e) =>
                      setMembers((m) =>
                        (e.currentTarget as HTMLInputElement).checked
                          ? [...m, s.value]
                          : m.filter((x) => x !== s.value),
                      )
                    }
                  />
                  {s.label}{' '}
                  {members.includes(s.value) && <span class="hint">#{members.indexOf(s.value) + 1}</span>}
                </label>
              ))}
            </fieldset>
            <button type="submit" class="primary">
              {t('teams.saveRotation')}
            </button>
          </form>
          <form onSubmit={addOverride}>
            <h3>{t('teams.override')}</h3>
            <div class="row">
              <Select
                label={t('policy.person')}
                value={ovStaff}
                onValue={setOvStaff}
                options={[{ value: '', label: '—' }, ...staffOptions]}
              />
              <Field label={t('teams.from')} value={ovFrom} onValue={setOvFrom} type="datetime-local" />
              <Field label={t('teams.to')} value={ovTo} onValue={setOvTo} type="datetime-local" />
            </div>
            <button type="submit">{t('teams.addOverride')}</button>
            {ovFrom && <p class="hint">{formatDateTime(new Date(ovFrom))}</p>}
          </form>
        </section>
      )}
      <form class="card" onSubmit={create}>
        <h2>{t('teams.new')}</h2>
        <Field label={t('teams.name')} value={name} onValue={setName} />
        <Field label={t('teams.regions')} value={regions} onValue={setRegions} hint="DE, AT" />
        <Field label={t('teams.languages')} value={languages} onValue={setLanguages} hint="prs, ps, fa" />
        <button type="submit">{t('teams.create')}</button>
      </form>
    </div>
  );
}
