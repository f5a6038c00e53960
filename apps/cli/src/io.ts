import { createInterface } from 'node:readline';
import { withDotEnv } from '@panah/config';

/**
 * Everything a command may do to the outside world. Tests pass a fake; `main.ts` passes the real
 * terminal. Secrets (passphrases, passwords) come from an environment variable or a TTY prompt,
 * never from argv, which other users of the machine can read in the process list.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a secret from `envVar` if set, else prompts on the TTY without echo. */
  readSecret(prompt: string, envVar: string): Promise<string>;
  /** Asks a question on the terminal (echoed); absent without one (tests, pipes, CI). */
  readonly ask?: (question: string) => Promise<string>;
  /** Everything on standard input, up to end of file (a message body piped in or typed, then Ctrl-D). */
  readInput(): Promise<string>;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * An in-memory CliIo: output is captured, and `env` plays the environment — secrets the command
 * would prompt for are read from it under the same variable names (tests, scripted use).
 */
export function memoryIo(
  env: Record<string, string | undefined> = {},
  stdin = '',
): {
  io: CliIo;
  out: string[];
  err: string[];
} {
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
    readInput: async () => stdin,
  };
  return { io, out, err };
}

/** The real terminal; `env` is the process environment over `.env` (PANAH_ENV_FILE). */
export function terminalIo(): CliIo {
  const env = withDotEnv(process.env);
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env,
    readSecret: async (prompt, envVar) => {
      const fromEnv = process.env[envVar];
      if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
      if (!process.stdin.isTTY) {
        throw new CliError(
          `${prompt}: set ${envVar} or run in a terminal (secrets are never taken from arguments)`,
        );
      }
      return promptHidden(`${prompt}: `);
    },
    ask: process.stdin.isTTY ? (question) => promptLine(question) : undefined,
    readInput: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

function promptLine(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer.trim());
    });
  });
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write(question);
    output._writeToOutput = () => undefined; // no echo
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
