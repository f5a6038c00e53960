export * from './countries';
export * from './hints';
export * from './report-status';
export * from './reasons';
export * from './pow';
export * from './quota';
