import { Outbox1763900000000 } from './1763900000000-outbox';
import { Intake1763900200000 } from './1763900200000-intake';

/** Every migration in order. Listed explicitly (no globs) so source and compiled code agree. */
export const migrations = [Outbox1763900000000, Intake1763900200000];
