import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Plan, type Schedule } from '../api';
import { explain, HomeAction, Notice, Page, useApp } from '../app';
import { HoldButton } from '../components/HoldButton';
import { crypto } from '../crypto/client';
import { state, uuid } from '../session';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DIGITS: Record<string, string> = Object.fromEntries(
  [...'۰۱۲۳۴۵۶۷۸۹', ...'٠١٢٣٤٥٦٧٨٩'].map((d, i) => [d, String(i % 10)]),
);
const asciiDigits = (s: string) => s.replace(/[۰-۹٠-٩]/g, (d) => DIGITS[d] ?? d).replace(/[٫,]/g, '.');

interface TextFieldProps {
  readonly label: string;
  readonly testId: string;
  readonly value: string;
  readonly onValue: (v: string) => void;
  readonly inputMode?: 'numeric' | 'decimal';
}

/** A labelled left-to-right text input (numbers and times), Persian digits accepted by the caller. */
function TextField(props: TextFieldProps) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        type="text"
        inputMode={props.inputMode}
        dir="ltr"
        data-testid={props.testId}
        value={props.value}
        onInput={(e) => props.onValue((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

/** One radio of the plan's kind. */
function KindChoice(props: {
  readonly label: string;
  readonly testId: string;
  readonly checked: boolean;
  readonly onChoose: () => void;
}) {
  return (
    <label class="check">
      <input
        type="radio"
        name="kind"
        checked={props.checked}
        onChange={props.onChoose}
        data-testid={props.testId}
      />
      <span>{props.label}</span>
    </label>
  );
}

/**
 * Sends a signed check-in or panic, retrying (same id, freshly signed time) until the server
 * accepts it: a panic pressed with no signal goes out when the phone is back online.
 */
async function deliver(
  kind: 'checkin' | 'panic',
  id: string,
  onWait: (waiting: boolean) => void,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const at = new Date().toISOString();
      const signed = await crypto.signSignal(kind, id, at);
      await (kind === 'panic' ? api.panic : api.checkin)({ id, at, ...signed });
      onWait(false);
      return;
    } catch (e) {
      if (!(e instanceof ApiError && (e.offline || e.status >= 500))) throw e;
      onWait(true);
      await sleep(Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4)));
    }
  }
}

export function SafetyScreen() {
  const { tr } = useApp();
  const [plan, setPlan] = useState<Plan | null | undefined>(undefined);
  const [kind, setKind] = useState<'interval' | 'daily'>('interval');
  const [hours, setHours] = useState('24');
  const [times, setTimes] = useState('09:00');
  const [maxPauseDays, setMaxPauseDays] = useState('3');
  const [graceMinutes, setGraceMinutes] = useState('15');
  const [pauseHours, setPauseHours] = useState('12');
  const [message, setMessage] = useState<{
    kind: 'ok' | 'error' | 'warn';
    text: string;
    testId: string;
  } | null>(null);
  const [panicState, setPanicState] = useState<'idle' | 'sending' | 'waiting' | 'sent'>('idle');
  const [checking, setChecking] = useState(false);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const fail = (e: unknown) => setMessage({ kind: 'error', text: explain(tr, e), testId: 'error' });

  useEffect(() => {
    api.plan().then(setPlan, fail);
  }, []);

  const savePlan = async (): Promise<void> => {
    setMessage(null);
    const schedule: Schedule =
      kind === 'interval'
        ? { kind: 'interval', everySeconds: Math.round(Number(asciiDigits(hours)) * 3600) }
        : {
            kind: 'daily',
            times: asciiDigits(times)
              .split(/[\s,،]+/)
              .filter(Boolean),
            timeZone,
          };
    try {
      setPlan(
        await api.putPlan({
          schedule,
          graceSeconds: Math.round(Number(asciiDigits(graceMinutes)) * 60),
          maxPauseSeconds: Math.round(Number(asciiDigits(maxPauseDays)) * 86400),
        }),
      );
      setMessage({ kind: 'ok', text: tr.t('safety.saved'), testId: 'plan-saved' });
    } catch (e) {
      fail(e);
    }
  };

  const checkIn = async (): Promise<void> => {
    setChecking(true);
    setMessage(null);
    try {
      await deliver(
        'checkin',
        uuid(),
        (w) => w && setMessage({ kind: 'warn', text: tr.t('send.offline'), testId: 'offline' }),
      );
      setMessage({ kind: 'ok', text: tr.t('safety.checkedIn'), testId: 'checked-in' });
      setPlan(await api.plan());
    } catch (e) {
      fail(e);
    } finally {
      setChecking(false);
    }
  };

  const panic = (): void => {
    const signal = { kind: 'panic' as const, id: uuid(), at: new Date().toISOString() };
    state.outbox.push(signal);
    setPanicState('sending');
    deliver('panic', signal.id, (w) => setPanicState(w ? 'waiting' : 'sending')).then(
      () => {
        state.outbox = state.outbox.filter((s) => s.id !== signal.id);
        setPanicState('sent');
      },
      (e: unknown) => {
        setPanicState('idle');
        fail(e);
      },
    );
  };

  const pause = async (): Promise<void> => {
    setMessage(null);
    try {
      const maxH = plan ? plan.maxPauseSeconds / 3600 : 0;
      const h = Math.min(Number(asciiDigits(pauseHours)), maxH);
      setPlan(await api.pause(new Date(Date.now() + h * 3600_000).toISOString()));
      setMessage({ kind: 'ok', text: tr.t('safety.paused'), testId: 'paused' });
    } catch (e) {
      fail(e);
    }
  };

  // The plan's two kinds, each with the one field it asks for, then the limits every plan has.
  const kinds: { kind: 'interval' | 'daily'; label: string; field: TextFieldProps }[] = [
    {
      kind: 'interval',
      label: tr.t('safety.every'),
      field: {
        label: tr.t('safety.hours'),
        inputMode: 'numeric',
        testId: 'plan-hours',
        value: hours,
        onValue: setHours,
      },
    },
    {
      kind: 'daily',
      label: tr.t('safety.daily'),
      field: {
        label: tr.t('safety.times', { tz: timeZone }),
        testId: 'plan-times',
        value: times,
        onValue: setTimes,
      },
    },
  ];
  const limits: TextFieldProps[] = [
    {
      label: tr.t('safety.grace'),
      inputMode: 'decimal',
      testId: 'plan-grace',
      value: graceMinutes,
      onValue: setGraceMinutes,
    },
    {
      label: tr.t('safety.maxPause'),
      inputMode: 'numeric',
      testId: 'plan-max-pause',
      value: maxPauseDays,
      onValue: setMaxPauseDays,
    },
  ];

  return (
    <Page title={tr.t('safety.title')} testId="safety">
      {message && (
        <Notice kind={message.kind} testId={message.testId}>
          {message.text}
        </Notice>
      )}
      {plan && (
        <>
          <p data-testid="plan-status">
            {plan.status === 'paused' && plan.pausedUntil
              ? tr.t('safety.pausedUntil', { time: tr.time(plan.pausedUntil) })
              : tr.t('safety.next', { time: tr.time(plan.nextDeadline) })}
          </p>
          <button
            type="button"
            class="safe huge"
            data-testid="i-am-safe"
            disabled={checking}
            onClick={() => void checkIn()}
          >
            {tr.t('safety.iAmSafe')}
          </button>
        </>
      )}
      {plan === null && <p class="small">{tr.t('safety.noPlan')}</p>}

      <fieldset class="box">
        <legend>{tr.t('safety.plan')}</legend>
        {kinds.map((k) => (
          <Fragment key={k.kind}>
            <KindChoice
              label={k.label}
              testId={`plan-${k.kind}`}
              checked={kind === k.kind}
              onChoose={() => setKind(k.kind)}
            />
            {kind === k.kind && <TextField {...k.field} />}
          </Fragment>
        ))}
        {limits.map((f) => (
          <TextField key={f.testId} {...f} />
        ))}
        <button type="button" class="primary" data-testid="save-plan" onClick={() => void savePlan()}>
          {tr.t('safety.save')}
        </button>
      </fieldset>

      {plan && (
        <fieldset class="box">
          <legend>{tr.t('safety.pause')}</legend>
          {plan.status === 'paused' ? (
            <button type="button" data-testid="resume" onClick={() => void api.resume().then(setPlan)}>
              {tr.t('safety.resume')}
            </button>
          ) : (
            <>
              <TextField
                label={tr.t('safety.pauseFor', { max: tr.num(Math.floor(plan.maxPauseSeconds / 3600)) })}
                inputMode="numeric"
                testId="pause-hours"
                value={pauseHours}
                onValue={setPauseHours}
              />
              <button type="button" data-testid="pause" onClick={() => void pause()}>
                {tr.t('safety.pauseButton')}
              </button>
            </>
          )}
        </fieldset>
      )}

      <fieldset class="box panic">
        <legend>{tr.t('panic.title')}</legend>
        <p class="small">{tr.t('panic.explain')}</p>
        <HoldButton
          holdMs={2500}
          label={tr.t('panic.hold')}
          holdingLabel={tr.t('panic.holding')}
          onFire={panic}
          testId="panic"
        />
        {panicState === 'sending' && <Notice kind="warn">{tr.t('panic.sending')}</Notice>}
        {panicState === 'waiting' && (
          <Notice kind="warn" testId="panic-waiting">
            {tr.t('panic.waiting')}
          </Notice>
        )}
        {panicState === 'sent' && (
          <Notice kind="ok" testId="panic-sent">
            {tr.t('panic.sent')}
          </Notice>
        )}
      </fieldset>
      <HomeAction />
    </Page>
  );
}
