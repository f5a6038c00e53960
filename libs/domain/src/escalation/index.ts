export * from './severity';
export * from './policy';
export * from './oncall';
export * from './content';
export * from './timeline';
export * from './simulate';
export * from './run-state';
export * from './participants';
