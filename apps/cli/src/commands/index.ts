import { Command } from 'commander';
import { CliIo } from '../io';
import { registerAdminCommands } from './admin.command';
import { registerAuditCommands } from './audit.command';
import { registerCaseCommands } from './case.command';
import { registerClientCommands } from './client.command';
import { registerDbCommands } from './db.command';
import { registerDemoCommands } from './demo.command';
import { registerDoctorCommand } from './doctor.command';
import { registerEnvelopeCommands } from './envelope.command';
import { registerKeysCommands } from './keys.command';
import { registerReporterCommands } from './reporter.command';
import { registerNextStepCommand, registerSetupCommand } from './setup.command';
import { registerStaffCommands } from './staff.command';

export type CommandGroup = (program: Command, io: CliIo) => void;

/** Every command group of `panah`, in the order `--help` lists them. */
export const commandGroups: CommandGroup[] = [
  registerSetupCommand,
  registerNextStepCommand,
  registerDemoCommands,
  registerDoctorCommand,
  registerDbCommands,
  registerKeysCommands,
  registerReporterCommands,
  registerEnvelopeCommands,
  registerAdminCommands,
  registerStaffCommands,
  registerCaseCommands,
  registerAuditCommands,
  registerClientCommands,
];
