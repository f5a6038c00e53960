/**
 * A frightened person presses panic again and again: presses within `windowSeconds` of the last
 * accepted one are the same emergency (one case), a press after a quiet window is a new alert.
 * The window slides with each accepted press, so a long burst never splits into many cases.
 */
export function isRepeatPanic(lastPanicAt: Date | null, now: Date, windowSeconds: number): boolean {
  if (lastPanicAt === null) return false;
  const age = now.getTime() - lastPanicAt.getTime();
  return age >= 0 && age < windowSeconds * 1000;
}
