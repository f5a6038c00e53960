import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDotEnv, withDotEnv } from './dotenv';

describe('.env under the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'panah-dotenv-'));
  const file = join(dir, 'settings.env');
  writeFileSync(
    file,
    '# written by panah setup\nAPI_PORT=4000\nexport REDIS_PREFIX="from-file"\nLOG_LEVEL=debug\n',
  );

  it('parses KEY=value lines, comments, export and quotes', () => {
    expect(parseDotEnv('A=1\n# c\nexport B=\'two\'\nC="3"\nnot a line\n')).toEqual({
      A: '1',
      B: 'two',
      C: '3',
    });
  });

  it('reads PANAH_ENV_FILE under the real environment: a variable set in the environment wins', () => {
    expect(withDotEnv({ PANAH_ENV_FILE: file, LOG_LEVEL: 'warn' })).toEqual({
      PANAH_ENV_FILE: file,
      API_PORT: '4000',
      REDIS_PREFIX: 'from-file',
      LOG_LEVEL: 'warn',
    });
  });

  it('reads nothing with PANAH_ENV_FILE=/dev/null (spawned test processes) or a missing file', () => {
    expect(withDotEnv({ PANAH_ENV_FILE: '/dev/null', A: '1' })).toEqual({
      PANAH_ENV_FILE: '/dev/null',
      A: '1',
    });
    expect(withDotEnv({ PANAH_ENV_FILE: join(dir, 'missing.env') })).toEqual({
      PANAH_ENV_FILE: join(dir, 'missing.env'),
    });
  });
});
