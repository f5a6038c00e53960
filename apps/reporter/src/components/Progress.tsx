import { useEffect, useRef } from 'preact/hooks';

/** A progress bar (a real <progress>, so no inline style is needed) with its label. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const ref = useRef<HTMLProgressElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.value = Math.round(Math.max(0, Math.min(1, value)) * 100);
  }, [value]);
  return (
    <div class="progress" data-testid="progress">
      <label>
        <span>{label}</span>
        <progress ref={ref} max={100} />
      </label>
    </div>
  );
}
