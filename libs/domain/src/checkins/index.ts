export * from './schedule';
export * from './plan';
export * from './state';
export * from './panic';
