import { CliError, type CliIo } from '../../apps/cli/src/io';
import { runCli } from '../../apps/cli/src/program';

export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/**
 * Runs `panah …` in-process. `env` plays the environment: secrets the command would prompt for
 * are read from it under the same variable names, exactly as from the real environment.
 */
export async function panah(argv: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env,
    readSecret: async (prompt, envVar) => {
      const value = env[envVar];
      if (value === undefined) throw new CliError(`${prompt}: set ${envVar}`);
      return value;
    },
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}
