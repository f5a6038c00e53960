import { readFileSync } from 'node:fs';

/** Where `panah setup` writes the deployment settings and every process reads them. */
export const DEFAULT_ENV_FILE = '.env';

/**
 * Parses a `.env` file: `KEY=value` lines, `#` comments, optional single or double quotes around
 * the value. No interpolation, no multi-line values (the settings Panah writes need neither).
 */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if (
      (value.startsWith('"') && value.endsWith('"') && value.length >= 2) ||
      (value.startsWith("'") && value.endsWith("'") && value.length >= 2)
    )
      value = value.slice(1, -1);
    out[m[1]] = value;
  }
  return out;
}

/**
 * The environment with `.env` underneath it: a variable set in the real environment wins over the
 * file. The file is `PANAH_ENV_FILE` (default `.env` in the working directory); a missing file is
 * no error (every setting has a development default).
 */
export function withDotEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const file = env.PANAH_ENV_FILE || DEFAULT_ENV_FILE;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { ...env };
  }
  const fromFile = parseDotEnv(text);
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  return merged;
}
