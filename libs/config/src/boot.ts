import { ConfigError, loadConfig, PanahConfig } from './config';
import { withDotEnv } from './dotenv';

/**
 * Loads the config for a process's main.ts; on a bad value prints one line per variable and
 * exits non-zero before anything connects anywhere.
 */
export function loadConfigOrExit(processName: string): PanahConfig {
  try {
    return loadConfig(withDotEnv(process.env)); // .env (panah setup) under the real environment
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const p of error.problems)
        process.stderr.write(`${processName}: invalid configuration: ${p.variable}: ${p.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
