import type { PolicyDefinition } from './policy';
import type { AlertSeverity } from './severity';
import { advance, type DirectorySnapshot, restartCursor, START_CURSOR } from './timeline';

/**
 * Dry run of a policy: the engine's own `advance` driven by simulated time. Acknowledgements
 * are applied before a step due at the same instant or later, exactly as the engine does (an
 * acknowledged run's pending step finds the run acknowledged and does nothing).
 */
export interface SimulationInput {
  readonly severity: AlertSeverity;
  readonly startAt: Date;
  readonly acknowledgements: readonly { readonly at: Date; readonly by: string }[];
}

export type SimulatedEvent =
  | {
      readonly at: Date;
      readonly kind: 'notify';
      readonly step: number;
      readonly round: number;
      readonly staffId: string;
      readonly channel: string | null;
    }
  | { readonly at: Date; readonly kind: 'overdue'; readonly step: number; readonly round: number }
  | { readonly at: Date; readonly kind: 'exhausted' }
  | { readonly at: Date; readonly kind: 'acknowledged'; readonly by: string }
  | { readonly at: Date; readonly kind: 'reactivated' };

export interface Simulation {
  readonly events: readonly SimulatedEvent[];
  readonly finalState: 'acknowledged' | 'exhausted';
}

const MAX_EVENTS = 5_000;

export function simulate(
  policy: PolicyDefinition,
  directory: DirectorySnapshot,
  input: SimulationInput,
): Simulation {
  const acks = [...input.acknowledgements].sort((a, b) => a.at.getTime() - b.at.getTime());
  const events: SimulatedEvent[] = [];
  let cursor = START_CURSOR;
  let t = input.startAt;
  let state: 'active' | 'acknowledged' | 'exhausted' = 'active';
  let ackedAt = t;
  let next = 0;
  while (events.length < MAX_EVENTS) {
    const ack = acks[next];
    if (state === 'active') {
      if (ack && ack.at.getTime() <= t.getTime()) {
        next += 1;
        state = 'acknowledged';
        ackedAt = ack.at;
        events.push({ at: ack.at, kind: 'acknowledged', by: ack.by });
        continue;
      }
      const r = advance(policy, cursor, { at: t, severity: input.severity, directory });
      for (const e of r.effects) {
        events.push(
          e.kind === 'notify'
            ? {
                at: t,
                kind: 'notify',
                step: e.step,
                round: e.round,
                staffId: e.staffId,
                channel: e.contact?.channel ?? null,
              }
            : { at: t, kind: 'overdue', step: e.step, round: e.round },
        );
      }
      if (!r.next) {
        state = 'exhausted';
        events.push({ at: t, kind: 'exhausted' });
        continue;
      }
      cursor = r.next.cursor;
      t = r.next.dueAt;
    } else if (state === 'exhausted') {
      if (!ack) return { events, finalState: 'exhausted' };
      next += 1;
      state = 'acknowledged';
      ackedAt = new Date(Math.max(ack.at.getTime(), t.getTime()));
      events.push({ at: ackedAt, kind: 'acknowledged', by: ack.by });
    } else {
      if (policy.ackTimeoutSeconds === null) return { events, finalState: 'acknowledged' };
      const reactivateAt = new Date(ackedAt.getTime() + policy.ackTimeoutSeconds * 1000);
      if (ack && ack.at.getTime() < reactivateAt.getTime()) {
        // Acknowledging again counts as progress and restarts the timeout.
        next += 1;
        ackedAt = ack.at;
        events.push({ at: ack.at, kind: 'acknowledged', by: ack.by });
        continue;
      }
      state = 'active';
      cursor = restartCursor(cursor);
      t = reactivateAt;
      events.push({ at: t, kind: 'reactivated' });
    }
  }
  return { events, finalState: state === 'exhausted' ? 'exhausted' : 'acknowledged' };
}
