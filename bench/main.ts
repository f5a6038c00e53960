/**
 * `npm run bench [scenario…]`: runs the named scenarios (default: all) and prints their figures.
 * Scenarios live next to this file as `<name>.bench.ts` and export `run()`.
 */
import { run as checkins } from './checkins.bench';
import { run as consoleBench } from './console.bench';
import { run as crypto } from './crypto.bench';
import { run as escalation } from './escalation.bench';
import { run as health } from './health.bench';
import { run as idle } from './idle.bench';
import { run as intake } from './intake.bench';
import { run as login } from './login.bench';
import { run as reporter } from './reporter.bench';
import { run as triage } from './triage.bench';

const scenarios: Record<string, () => Promise<void>> = {
  health,
  idle,
  crypto,
  intake,
  triage,
  escalation,
  checkins,
  login,
  console: consoleBench,
  reporter,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(scenarios);
  for (const name of names) {
    const scenario = scenarios[name];
    if (!scenario)
      throw new Error(`unknown scenario "${name}" (known: ${Object.keys(scenarios).join(', ')})`);
    console.log(`\n== ${name} ==`);
    await scenario();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
