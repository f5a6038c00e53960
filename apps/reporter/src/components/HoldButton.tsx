import { useEffect, useRef, useState } from 'preact/hooks';
import { ProgressBar } from './Progress';

/**
 * Fires only after being held down for `holdMs` (pointer or keyboard), so a pocket or a stray tap
 * does not press it. Releasing early cancels.
 */
export function HoldButton({
  holdMs,
  label,
  holdingLabel,
  onFire,
  testId,
}: {
  holdMs: number;
  label: string;
  holdingLabel: string;
  onFire: () => void;
  testId: string;
}) {
  const [held, setHeld] = useState(0);
  const start = useRef<number | null>(null);
  const frame = useRef<number | null>(null);

  const stop = (): void => {
    start.current = null;
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    setHeld(0);
  };
  const tick = (): void => {
    if (start.current === null) return;
    const f = (performance.now() - start.current) / holdMs;
    if (f >= 1) {
      stop();
      onFire();
      return;
    }
    setHeld(f);
    frame.current = requestAnimationFrame(tick);
  };
  const begin = (): void => {
    if (start.current !== null) return;
    start.current = performance.now();
    frame.current = requestAnimationFrame(tick);
  };
  useEffect(() => stop, []);

  return (
    <div class="hold">
      <button
        type="button"
        class="danger big"
        data-testid={testId}
        onPointerDown={(e) => {
          (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
          begin();
        }}
        onPointerUp={stop}
        onPointerCancel={stop}
        onPointerLeave={stop}
        onKeyDown={(e) => (e.key === ' ' || e.key === 'Enter') && (e.preventDefault(), begin())}
        onKeyUp={stop}
        onContextMenu={(e) => e.preventDefault()}
      >
        {held > 0 ? holdingLabel : label}
      </button>
      {held > 0 && <ProgressBar value={held} label={holdingLabel} />}
    </div>
  );
}
