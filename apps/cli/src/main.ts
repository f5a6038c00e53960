import { terminalIo } from './io';
import { runCli } from './program';

runCli(process.argv.slice(2), terminalIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`panah: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
