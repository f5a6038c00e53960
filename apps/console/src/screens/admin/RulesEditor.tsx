import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../../api/http';
import type { PolicyView, Team } from '../../api/types';
import { Field, Select } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { asciiDigits, formatDateTime, useT } from '../../i18n';
import { useLoad } from './useLoad';

const CATEGORIES = [
  'kill_list',
  'direct_threat',
  'surveillance',
  'family_threatened',
  'abduction_attempt',
  'deportation_risk',
  'online_harassment',
  'other',
];
const IMMINENCE = ['now', 'days', 'weeks', 'unknown'];
const PERPETRATORS = ['regime_intelligence', 'regime_other', 'host_state', 'criminal', 'unknown'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];

interface Outcome {
  severity: string;
  route: { kind: 'by_region' } | { kind: 'team'; teamId: string };
  policyId: string | null;
  deadlineMinutes: number;
}
interface Rule {
  name?: string;
  when: Record<string, unknown>;
  then: Outcome;
}
interface RuleSet {
  rules: Rule[];
  default: Outcome;
  defaultTeamId: string | null;
}
interface Version {
  version: number;
  active?: boolean;
  createdAt?: string;
}

const outcome = (): Outcome => ({
  severity: 'medium',
  route: { kind: 'by_region' },
  policyId: null,
  deadlineMinutes: 240,
});

function Multi({
  legend,
  all,
  value,
  onValue,
  label,
}: {
  legend: string;
  all: string[];
  value: unknown;
  onValue: (v: string[] | undefined) => void;
  label: (v: string) => string;
}) {
  const chosen = Array.isArray(value) ? (value as string[]) : [];
  return (
    <fieldset class="multi">
      <legend>{legend}</legend>
      {all.map((v) => (
        <label class="check" key={v}>
          <input
            type="checkbox"
            checked={chosen.includes(v)}
            onChange={(e) => {
              const next = (e.currentTarget as HTMLInputElement).checked
                ? [...chosen, v]
                : chosen.filter((x) => x !== v);
              onValue(next.length ? next : undefined);
            }}
          />
          {label(v)}
        </label>
      ))}
    </fieldset>
  );
}

/** Triage rule sets: a form editor that produces the JSON the API validates, dry-run, activate. */
export function RulesEditor() {
  const t = useT();
  const teams = useLoad(() => call<Team[]>('GET', '/v1/admin/teams'));
  const policies = useLoad(() => call<PolicyView[]>('GET', '/v1/admin/escalation-policies'));
  const history = useLoad(() => call<Version[]>('GET', '/v1/triage-rules'));
  const active = useLoad(() =>
    call<{ version: number | null; definition: RuleSet | null }>('GET', '/v1/triage-rules/active'),
  );
  const [set, setSet] = useState<RuleSet>({ rules: [], default: outcome(), defaultTeamId: null });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [hints, setHints] = useState<Record<string, string>>({});
  const [dry, setDry] = useState<{
    decision: { severity: string; ruleName: string | null; explanation: string[] };
  } | null>(null);

  useEffect(() => {
    if (active.data?.definition) setSet(active.data.definition);
  }, [active.data]);

  const p = (path: string) => problems[`ruleSet.${path}`];
  const setRule = (i: number, rule: Rule) =>
    setSet((s) => ({ ...s, rules: s.rules.map((r, j) => (j === i ? rule : r)) }));
  const fail = (err: unknown) => {
    setError(err);
    if (err instanceof ApiError) setProblems(Object.fromEntries(err.fields.map((f) => [f.path, f.message])));
  };

  const teamOptions = [
    { value: '', label: t('rules.byRegion') },
    ...(teams.data ?? []).map((x) => ({ value: x.id, label: x.name })),
  ];
  const policyOptions = [
    { value: '', label: t('rules.noPolicy') },
    ...(policies.data ?? []).map((x) => ({ value: x.id, label: x.name })),
  ];

  const outcomeEditor = (o: Outcome, at: string, onValue: (o: Outcome) => void) => (
    <div class="row">
      <Select
        label={t('cases.severity')}
        value={o.severity}
        error={p(`${at}.severity`)}
        onValue={(v) => onValue({ ...o, severity: v })}
        options={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))}
      />
      <Select
        label={t('rules.route')}
        value={o.route.kind === 'team' ? o.route.teamId : ''}
        error={p(`${at}.route`) ?? p(`${at}.route.teamId`)}
        onValue={(v) => onValue({ ...o, route: v ? { kind: 'team', teamId: v } : { kind: 'by_region' } })}
        options={teamOptions}
      />
      <Select
        label={t('rules.policy')}
        value={o.policyId ?? ''}
        error={p(`${at}.policyId`)}
        onValue={(v) => onValue({ ...o, policyId: v || null })}
        options={policyOptions}
      />
      <Field
        label={t('rules.deadline')}
        inputMode="numeric"
        value={String(o.deadlineMinutes)}
        error={p(`${at}.deadlineMinutes`)}
        onValue={(v) => onValue({ ...o, deadlineMinutes: Number(asciiDigits(v) || 0) })}
      />
    </div>
  );

  const save = async (activate: boolean) => {
    setError(null);
    setProblems({});
    setNotice('');
    try {
      const row = await call<Version>('POST', '/v1/triage-rules', { body: { ruleSet: set, activate } });
      setNotice(t(activate ? 'rules.savedActive' : 'rules.saved', { version: row.version }));
      history.reload();
    } catch (err) {
      fail(err);
    }
  };
  const dryRun = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setProblems({});
    const h: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(hints)) if (v) h[k] = k === 'namedOnList' ? v === 'yes' : v;
    try {
      setDry(
        await call('POST', '/v1/triage-rules/dry-run', {
          body: { hints: Object.keys(h).length ? h : null, ruleSet: set },
        }),
      );
    } catch (err) {
      fail(err);
    }
  };
  const activate = async (version: number) => {
    setError(null);
    try {
      await call('POST', '/v1/triage-rules/{version}/activate', { path: { version: String(version) } });
      setNotice(t('rules.activated', { version }));
      history.reload();
      active.reload();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <div class="stack">
      <h1>{t('nav.rules')}</h1>
      <Problem error={error ?? teams.error} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <section class="card">
        <h2>{t('rules.versions')}</h2>
        <ul class="rows">
          {(history.data ?? []).map((v) => (
            <li key={v.version}>
              <span>
                v{v.version} {v.active && <strong>{t('rules.active')}</strong>}{' '}
                {v.createdAt && <span class="hint">{formatDateTime(v.createdAt)}</span>}
              </span>
              {!v.active && (
                <button type="button" onClick={() => activate(v.version)}>
                  {t('rules.activate')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="rules-form">
        <h2 id="rules-form">{t('rules.editor')}</h2>
        <p class="hint">{t('rules.firstMatch')}</p>
        <ol class="steps">
          {set.rules.map((rule, i) => (
            <li key={i} class="step">
              <Field
                label={t('rules.name')}
                value={rule.name ?? ''}
                error={p(`rules[${i}].name`)}
                onValue={(v) => setRule(i, { ...rule, name: v || undefined })}
              />
              <Multi
                legend={t('rules.category')}
                all={CATEGORIES}
                value={rule.when.category}
                label={(v) => t(`hint.${v}`)}
                onValue={(v) => setRule(i, { ...rule, when: { ...rule.when, category: v } })}
              />
              <Multi
                legend={t('rules.imminence')}
                all={IMMINENCE}
                value={rule.when.imminence}
                label={(v) => t(`hint.${v}`)}
                onValue={(v) => setRule(i, { ...rule, when: { ...rule.when, imminence: v } })}
              />
              <Multi
                legend={t('rules.perpetrator')}
                all={PERPETRATORS}
                value={rule.when.perpetrator}
                label={(v) => t(`hint.${v}`)}
                onValue={(v) => setRule(i, { ...rule, when: { ...rule.when, perpetrator: v } })}
              />
              <Field
                label={t('rules.country')}
                value={Array.isArray(rule.when.country) ? (rule.when.country as string[]).join(', ') : ''}
                error={p(`rules[${i}].when.country`)}
                onValue={(v) => {
                  const list = v
                    .split(/[\s,]+/)
                    .filter(Boolean)
                    .map((c) => c.toUpperCase());
                  setRule(i, { ...rule, when: { ...rule.when, country: list.length ? list : undefined } });
                }}
              />
              {p(`rules[${i}].when`) && <p class="error-text">{p(`rules[${i}].when`)}</p>}
              <h3>{t('rules.then')}</h3>
              {outcomeEditor(rule.then, `rules[${i}].then`, (o) => setRule(i, { ...rule, then: o }))}
              <button
                type="button"
                onClick={() => setSet((s) => ({ ...s, rules: s.rules.filter((_, j) => j !== i) }))}
              >
                {t('rules.remove')}
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          onClick={() => setSet((s) => ({ ...s, rules: [...s.rules, { when: {}, then: outcome() }] }))}
        >
          {t('rules.add')}
        </button>
        <h3>{t('rules.default')}</h3>
        {outcomeEditor(set.default, 'default', (o) => setSet((s) => ({ ...s, default: o })))}
        <Select
          label={t('rules.defaultTeam')}
          value={set.defaultTeamId ?? ''}
          error={p('defaultTeamId')}
          onValue={(v) => setSet((s) => ({ ...s, defaultTeamId: v || null }))}
          options={[
            { value: '', label: '—' },
            ...(teams.data ?? []).map((x) => ({ value: x.id, label: x.name })),
          ]}
        />
        <div class="buttons">
          <button type="button" onClick={() => save(false)}>
            {t('rules.save')}
          </button>
          <button type="button" class="primary" onClick={() => save(true)}>
            {t('rules.saveActivate')}
          </button>
        </div>
      </section>
      <form class="card" onSubmit={dryRun}>
        <h2>{t('rules.dryRun')}</h2>
        <div class="row">
          <Select
            label={t('rules.category')}
            value={hints.category ?? ''}
            onValue={(v) => setHints((h) => ({ ...h, category: v }))}
            options={[
              { value: '', label: '—' },
              ...CATEGORIES.map((v) => ({ value: v, label: t(`hint.${v}`) })),
            ]}
          />
          <Select
            label={t('rules.imminence')}
            value={hints.imminence ?? ''}
            onValue={(v) => setHints((h) => ({ ...h, imminence: v }))}
            options={[
              { value: '', label: '—' },
              ...IMMINENCE.map((v) => ({ value: v, label: t(`hint.${v}`) })),
            ]}
          />
          <Field
            label={t('rules.country')}
            value={hints.country ?? ''}
            onValue={(v) => setHints((h) => ({ ...h, country: v.toUpperCase() }))}
          />
        </div>
        <button type="submit">{t('rules.runDry')}</button>
        {dry && (
          <div class="notice" role="status" data-testid="dry-run">
            <p>
              <strong>{t(`severity.${dry.decision.severity}`)}</strong> —{' '}
              {dry.decision.ruleName ?? t('rules.default')}
            </p>
            <ul>
              {dry.decision.explanation.map((line, i) => (
                <li key={i} dir="ltr">
                  {line}
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>
    </div>
  );
}
