export { loadConfig, ConfigError, type PanahConfig, type LoadConfigOptions } from './config';
export { envSchema, SECRET_VARIABLES } from './config.schema';
export { ConfigModule, PANAH_CONFIG } from './config.module';
export { loadConfigOrExit } from './boot';
export { loadOrCreateDevSecrets, DEFAULT_DEV_SECRETS_FILE } from './dev-secrets';
export { parseDotEnv, withDotEnv, DEFAULT_ENV_FILE } from './dotenv';
