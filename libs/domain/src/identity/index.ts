export * from './account';
export * from './invitation';
export * from './totp';
export * from './session';
export * from './login-throttle';
export * from './visibility';
export * from './team';
