import { memoryIo } from '../../apps/cli/src/io';
import { runCli } from '../../apps/cli/src/program';

export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/**
 * Runs `panah …` in-process. `env` plays the environment: secrets the command would prompt for
 * are read from it under the same variable names, exactly as from the real environment; `stdin`
 * is what the command reads from standard input.
 */
export async function panah(
  argv: string[],
  env: Record<string, string | undefined>,
  stdin = '',
): Promise<CliRun> {
  const { io, out, err } = memoryIo(env, stdin);
  const code = await runCli(argv, io);
  return { code, out, err };
}
