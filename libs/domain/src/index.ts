export * from './errors';
export * from './principal';
