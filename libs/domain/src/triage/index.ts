export * from './severity';
export * from './rules';
export * from './evaluate';
export * from './case-merge';
export * from './validate';
