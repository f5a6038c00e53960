export * from './errors';
export * from './principal';
export * from './intake';
export * from './identity';
export * from './audit';
export * from './escalation';
export * from './triage';
export * from './checkins';
