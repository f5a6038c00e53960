import { Outbox1763900000000 } from './1763900000000-outbox';

/** Every migration in order. Listed explicitly (no globs) so source and compiled code agree. */
export const migrations = [Outbox1763900000000];
