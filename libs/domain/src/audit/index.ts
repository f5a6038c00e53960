export * from './chain';
export * from './actions';
