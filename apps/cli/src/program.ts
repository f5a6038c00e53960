import { Command, CommanderError } from 'commander';
import { CliError, CliIo } from './io';
import { commandGroups } from './commands';
import { environmentHelp } from './environment';

/** Builds the `panah` command tree. Each group lives in `commands/<group>.command.ts`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('panah')
    .description('Panah command line: setup, key ceremony, admin bootstrap, staff client, audit verification')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .addHelpText('after', environmentHelp());
  for (const register of commandGroups) register(program, io);
  // Every subcommand inherits the same output and exit behaviour.
  const propagate = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
      propagate(sub);
    }
  };
  propagate(program);
  return program;
}

/** Runs one invocation and returns the process exit code; never calls process.exit itself. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : error.exitCode || 1;
    }
    if (error instanceof CliError) {
      io.err(`error: ${error.message}`);
      return error.exitCode;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
