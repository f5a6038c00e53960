import type { SimEvent, Simulation } from '../../api/types';
import { formatTime, useT } from '../../i18n';

/**
 * The simulator's timeline as a picture: one lane per person, a dot where they are notified,
 * a line where the escalation was acknowledged or ran out. Drawn left to right in both
 * directions of text (time runs left to right on every clock face the team uses); the list under
 * it says the same in words for screen readers.
 */
export function SimulationPicture({
  sim,
  nameOf,
}: {
  readonly sim: Simulation;
  readonly nameOf: (id: string) => string;
}) {
  const t = useT();
  const events = sim.events;
  if (events.length === 0) return <p>{t('policy.noEvents')}</p>;
  const times = events.map((e) => new Date(e.at).getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 60_000);
  const people = [
    ...new Set(
      events
        .filter((e): e is Extract<SimEvent, { kind: 'notify' }> => e.kind === 'notify')
        .map((e) => e.staffId),
    ),
  ];
  const laneH = 28;
  const left = 110;
  const width = 640;
  const top = 24;
  const height = top + Math.max(1, people.length) * laneH + 30;
  const x = (at: string) => left + ((new Date(at).getTime() - t0) / (t1 - t0)) * (width - left - 20);
  const minutes = (at: string) => Math.round((new Date(at).getTime() - t0) / 60_000);

  return (
    <figure class="sim" data-testid="simulation">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('policy.pictureLabel')} dir="ltr">
        <line x1={left} y1={height - 22} x2={width - 20} y2={height - 22} class="axis" />
        <text x={left} y={height - 6} class="tick">
          0
        </text>
        <text x={width - 20} y={height - 6} class="tick" text-anchor="end">
          {t('duration.minutesShort', { count: minutes(new Date(t1).toISOString()) })}
        </text>
        {people.map((p, i) => (
          <g key={p}>
            <text x={4} y={top + i * laneH + 5} class="lane-label">
              {nameOf(p)}
            </text>
            <line x1={left} y1={top + i * laneH} x2={width - 20} y2={top + i * laneH} class="lane" />
          </g>
        ))}
        {events.map((e, k) => {
          switch (e.kind) {
            case 'notify':
              return (
                <circle
                  key={k}
                  cx={x(e.at)}
                  cy={top + people.indexOf(e.staffId) * laneH}
                  r={6}
                  class="dot-notify"
                />
              );
            case 'acknowledged':
              return (
                <line key={k} x1={x(e.at)} x2={x(e.at)} y1={top - 14} y2={height - 22} class="mark-ack" />
              );
            case 'overdue':
            case 'exhausted':
              return (
                <line key={k} x1={x(e.at)} x2={x(e.at)} y1={top - 14} y2={height - 22} class="mark-end" />
              );
            case 'reactivated':
              return (
                <line key={k} x1={x(e.at)} x2={x(e.at)} y1={top - 14} y2={height - 22} class="mark-re" />
              );
          }
        })}
      </svg>
      <figcaption>
        <ol class="sim-list">
          {events.map((e, k) => (
            <li key={k}>
              <time dateTime={e.at}>{formatTime(e.at)}</time> (+
              {t('duration.minutesShort', { count: minutes(e.at) })}){' '}
              {e.kind === 'notify'
                ? t('policy.ev.notify', {
                    who: nameOf(e.staffId),
                    channel: e.channel ?? t('policy.noChannel'),
                    step: e.step + 1,
                  })
                : e.kind === 'acknowledged'
                  ? t('policy.ev.acknowledged', { who: nameOf(e.by) })
                  : t(`policy.ev.${e.kind}`)}
            </li>
          ))}
        </ol>
        <p>{t('policy.final', { state: t(`run.${sim.finalState}`) })}</p>
      </figcaption>
    </figure>
  );
}
