import { useState } from 'preact/hooks';
import { ApiError, call } from '../../api/http';
import type { PolicyDefinition, PolicyView, Simulation, StaffRow, Step, Target, Team } from '../../api/types';
import { Field, Select } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { asciiDigits, useT } from '../../i18n';
import { SimulationPicture } from './SimulationPicture';
import { useLoad } from './useLoad';

const STEP_TYPES: Step['type'][] = ['notify', 'wait', 'repeat', 'mark_overdue'];
const TARGET_TYPES: Target['type'][] = ['team', 'on_call', 'supervisors', 'staff'];

const blankStep = (type: Step['type'], teamId: string): Step => {
  switch (type) {
    case 'notify':
    case 'notify_if':
      return { type: 'notify', targets: [{ type: 'team', teamId }], mode: 'all' };
    case 'wait':
      return { type: 'wait', seconds: 300 };
    case 'repeat':
      return { type: 'repeat', fromStep: 0, times: 1 };
    case 'mark_overdue':
      return { type: 'mark_overdue' };
  }
};

/** Escalation policies: a step editor producing the JSON the API validates, and the simulator. */
export function PolicyEditor() {
  const t = useT();
  const policies = useLoad(() => call<PolicyView[]>('GET', '/v1/admin/escalation-policies'));
  const teams = useLoad(() => call<Team[]>('GET', '/v1/admin/teams'));
  const staff = useLoad(() =>
    call<StaffRow[]>('GET', '/v1/admin/staff', { query: { status: 'active' } }).catch(() => [] as StaffRow[]),
  );
  const [editing, setEditing] = useState<PolicyView | null>(null);
  const [name, setName] = useState('');
  const [def, setDef] = useState<PolicyDefinition>({
    steps: [],
    ackTimeoutSeconds: null,
    maxSnoozeSeconds: 3600,
  });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<PolicyView | null>(null);
  const [severity, setSeverity] = useState('critical');
  const [ackAfter, setAckAfter] = useState('');
  const [ackBy, setAckBy] = useState('');
  const [sim, setSim] = useState<Simulation | null>(null);

  const firstTeam = teams.data?.[0]?.id ?? '';
  const err = (path: string) => problems[`definition.${path}`] ?? problems[path];
  const setStep = (i: number, step: Step) =>
    setDef((d) => ({ ...d, steps: d.steps.map((s, j) => (j === i ? step : s)) }));
  const move = (i: number, by: number) =>
    setDef((d) => {
      const steps = [...d.steps];
      const [s] = steps.splice(i, 1);
      steps.splice(i + by, 0, s!);
      return { ...d, steps };
    });

  const startNew = () => {
    setEditing(null);
    setName('');
    setDef({ steps: [blankStep('notify', firstTeam)], ackTimeoutSeconds: null, maxSnoozeSeconds: 3600 });
    setSaved(null);
    setSim(null);
  };
  const edit = (p: PolicyView) => {
    setEditing(p);
    setName(p.name);
    setDef(p.definition);
    setSaved(p);
    setSim(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setProblems({});
    try {
      const res = editing
        ? await call<PolicyView>('PUT', '/v1/admin/escalation-policies/{id}', {
            path: { id: editing.id },
            body: { definition: def, expectedVersion: editing.version },
          })
        : await call<PolicyView>('POST', '/v1/admin/escalation-policies', {
            body: { name, definition: def },
          });
      setSaved(res);
      setEditing(res);
      policies.reload();
    } catch (e2) {
      setError(e2);
      if (e2 instanceof ApiError) setProblems(Object.fromEntries(e2.fields.map((f) => [f.path, f.message])));
    }
  };

  const simulate = async (e: Event) => {
    e.preventDefault();
    if (!saved) return;
    setError(null);
    const start = new Date();
    const minutes = Number(asciiDigits(ackAfter));
    const acknowledgements =
      ackAfter && ackBy && minutes > 0
        ? [{ at: new Date(start.getTime() + minutes * 60_000).toISOString(), by: ackBy }]
        : [];
    try {
      setSim(
        await call<Simulation>('POST', '/v1/admin/escalation-policies/{id}/simulate', {
          path: { id: saved.id },
          body: { severity, startAt: start.toISOString(), acknowledgements },
        }),
      );
    } catch (e2) {
      setError(e2);
    }
  };

  const staffName = (id: string) => staff.data?.find((s) => s.id === id)?.login ?? id.slice(0, 8);
  const teamOptions = (teams.data ?? []).map((x) => ({ value: x.id, label: x.name }));
  const staffOptions = (staff.data ?? []).map((x) => ({ value: x.id, label: x.login }));

  const targetEditor = (i: number, step: Extract<Step, { targets: Target[] }>) =>
    step.targets.map((target, j) => (
      <div class="row" key={j}>
        <Select
          label={t('policy.targetType')}
          value={target.type}
          onValue={(v) => {
            const next: Target =
              v === 'staff'
                ? { type: 'staff', staffId: staffOptions[0]?.value ?? '' }
                : { type: v as 'team', teamId: firstTeam };
            setStep(i, { ...step, targets: step.targets.map((x, k) => (k === j ? next : x)) });
          }}
          options={TARGET_TYPES.map((x) => ({ value: x, label: t(`policy.target.${x}`) }))}
        />
        {target.type === 'staff' ? (
          <Select
            label={t('policy.person')}
            value={target.staffId}
            error={err(`steps[${i}].targets[${j}].staffId`)}
            onValue={(v) =>
              setStep(i, {
                ...step,
                targets: step.targets.map((x, k) => (k === j ? { type: 'staff', staffId: v } : x)),
              })
            }
            options={staffOptions}
          />
        ) : (
          <Select
            label={t('policy.team')}
            value={target.teamId}
            error={err(`steps[${i}].targets[${j}].teamId`)}
            onValue={(v) =>
              setStep(i, {
                ...step,
                targets: step.targets.map((x, k) => (k === j ? { type: target.type, teamId: v } : x)),
              })
            }
            options={teamOptions}
          />
        )}
        <button
          type="button"
          aria-label={t('policy.removeTarget')}
          onClick={() => setStep(i, { ...step, targets: step.targets.filter((_, k) => k !== j) })}
        >
          ✕
        </button>
      </div>
    ));

  return (
    <div class="stack">
      <h1>{t('nav.policies')}</h1>
      <Problem error={policies.error ?? teams.error} />
      <section class="card">
        <h2>{t('policy.list')}</h2>
        <ul class="rows">
          {(policies.data ?? []).map((p) => (
            <li key={p.id}>
              <span>
                {p.name} <span class="hint">v{p.version}</span>
              </span>
              <button type="button" onClick={() => edit(p)}>
                {t('common.edit')}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={startNew} data-testid="new-policy">
          {t('policy.new')}
        </button>
      </section>

      {(def.steps.length > 0 || editing) && (
        <form class="card" onSubmit={save} aria-labelledby="policy-form" noValidate>
          <h2 id="policy-form">
            {editing
              ? t('policy.editing', { name: editing.name, version: editing.version })
              : t('policy.new')}
          </h2>
          {!editing && (
            <Field
              label={t('policy.name')}
              value={name}
              onValue={setName}
              name="policy-name"
              error={problems.name}
            />
          )}
          <ol class="steps">
            {def.steps.map((step, i) => (
              <li key={i} class="step" aria-label={t('policy.stepN', { n: i + 1 })}>
                <div class="row">
                  <Select
                    label={t('policy.stepType', { n: i + 1 })}
                    value={step.type}
                    error={err(`steps[${i}]`)}
                    onValue={(v) => setStep(i, blankStep(v as Step['type'], firstTeam))}
                    options={STEP_TYPES.map((x) => ({ value: x, label: t(`policy.step.${x}`) }))}
                  />
                  <span class="buttons">
                    <button
                      type="button"
                      disabled={i === 0}
                      aria-label={t('policy.up')}
                      onClick={() => move(i, -1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      disabled={i === def.steps.length - 1}
                      aria-label={t('policy.down')}
                      onClick={() => move(i, 1)}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      aria-label={t('policy.removeStep')}
                      onClick={() => setDef((d) => ({ ...d, steps: d.steps.filter((_, j) => j !== i) }))}
                    >
                      ✕
                    </button>
                  </span>
                </div>
                {step.type === 'wait' && (
                  <Field
                    label={t('policy.waitMinutes')}
                    inputMode="numeric"
                    value={String(step.seconds / 60)}
                    error={err(`steps[${i}].seconds`)}
                    onValue={(v) =>
                      setStep(i, { type: 'wait', seconds: Math.round(Number(asciiDigits(v) || 0) * 60) })
                    }
                  />
                )}
                {step.type === 'repeat' && (
                  <div class="row">
                    <Field
                      label={t('policy.fromStep')}
                      inputMode="numeric"
                      value={String(step.fromStep + 1)}
                      error={err(`steps[${i}].fromStep`)}
                      onValue={(v) => setStep(i, { ...step, fromStep: Number(asciiDigits(v) || 1) - 1 })}
                    />
                    <Field
                      label={t('policy.times')}
                      inputMode="numeric"
                      value={String(step.times)}
                      error={err(`steps[${i}].times`)}
                      onValue={(v) => setStep(i, { ...step, times: Number(asciiDigits(v) || 0) })}
                    />
                  </div>
                )}
                {(step.type === 'notify' || step.type === 'notify_if') && (
                  <div class="targets">
                    {targetEditor(i, step)}
                    {err(`steps[${i}].targets`) && <p class="error-text">{err(`steps[${i}].targets`)}</p>}
                    <button
                      type="button"
                      onClick={() =>
                        setStep(i, {
                          ...step,
                          targets: [...step.targets, { type: 'team', teamId: firstTeam }],
                        })
                      }
                    >
                      {t('policy.addTarget')}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() => setDef((d) => ({ ...d, steps: [...d.steps, blankStep('wait', firstTeam)] }))}
            data-testid="add-step"
          >
            {t('policy.addStep')}
          </button>
          <Field
            label={t('policy.maxSnooze')}
            inputMode="numeric"
            value={String(def.maxSnoozeSeconds / 60)}
            error={err('maxSnoozeSeconds')}
            onValue={(v) =>
              setDef((d) => ({ ...d, maxSnoozeSeconds: Math.round(Number(asciiDigits(v) || 0) * 60) }))
            }
          />
          <Problem error={error} />
          <button type="submit" class="primary" data-testid="save-policy">
            {editing ? t('policy.saveVersion') : t('policy.create')}
          </button>
        </form>
      )}

      {saved && (
        <form class="card" onSubmit={simulate} aria-labelledby="sim-title">
          <h2 id="sim-title">{t('policy.simulate', { name: saved.name })}</h2>
          <div class="row">
            <Select
              label={t('cases.severity')}
              value={severity}
              onValue={setSeverity}
              options={['critical', 'high', 'medium', 'low'].map((s) => ({
                value: s,
                label: t(`severity.${s}`),
              }))}
            />
            <Field
              label={t('policy.ackAfter')}
              inputMode="numeric"
              value={ackAfter}
              onValue={setAckAfter}
              hint={t('policy.ackAfterHint')}
            />
            <Select
              label={t('policy.ackBy')}
              value={ackBy}
              onValue={setAckBy}
              options={[{ value: '', label: t('policy.nobody') }, ...staffOptions]}
            />
          </div>
          <button type="submit" class="primary" data-testid="run-simulation">
            {t('policy.runSimulation')}
          </button>
          {sim && <SimulationPicture sim={sim} nameOf={staffName} />}
        </form>
      )}
    </div>
  );
}
