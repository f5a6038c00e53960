/**
 * The demo's mail catcher (DEMO_MODE only): the worker keeps what its SMTP server accepts in one
 * capped Redis list under the deployment's prefix, and the API shows it at /dev/mail. Nothing
 * here runs, or is reachable, without DEMO_MODE, which production configuration refuses.
 */

/** Messages kept (newest first); older ones fall off. */
export const DEV_MAIL_KEEP = 200;

/** The Redis list holding caught messages, newest first. */
export function devMailKey(redisPrefix: string): string {
  return `${redisPrefix}:dev-mail`;
}

export interface CaughtMail {
  readonly receivedAt: string;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

/**
 * A readable view of one message as our own EmailChannel writes it (nodemailer, one text part):
 * unfolded headers, RFC 2047 subjects, quoted-printable or base64 bodies. Not a general MIME
 * parser: a part it does not understand is shown raw.
 */
export function readMail(
  raw: string,
  envelope: { from: string; to: string[] },
  receivedAt: Date,
): CaughtMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  let body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  else if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return {
    receivedAt: receivedAt.toISOString(),
    from: decodeWords(headers.get('from') ?? envelope.from),
    to: envelope.to,
    subject: decodeWords(headers.get('subject') ?? ''),
    text: body.replace(/\r\n/g, '\n').trimEnd(),
  };
}

function decodeQuotedPrintable(text: string): string {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`), as nodemailer writes non-ASCII headers. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
