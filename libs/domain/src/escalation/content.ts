import { ALERT_SEVERITIES, type AlertSeverity } from './severity';

/**
 * G5: a notification says only "Panah: <severity> case <short ref> needs acknowledgement — <link>",
 * in every channel, padded with spaces to one fixed length so that neither the severity nor the
 * reference can be told apart by the size of an encrypted message on the wire. Inputs are checked
 * against strict patterns so that no other text (a name, a place, a hint) can ever reach a channel.
 */
export const NOTIFICATION_TEXT_LENGTH = 240;
export const NOTIFICATION_SUBJECT = 'Panah: acknowledgement needed';

const SHORT_REF = /^[A-Z0-9]{4,12}(-[A-Z0-9]{2,12})?$/;
const LINK = /^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~/-]*)?(#[A-Za-z0-9=_-]*)?$/;
const LONGEST_SEVERITY = Math.max(...ALERT_SEVERITIES.map((s) => s.length));

export interface NotificationFacts {
  readonly severity: AlertSeverity;
  readonly shortRef: string;
  readonly link: string;
}

export class NotificationContentError extends Error {
  constructor(field: string) {
    super(`notification ${field} is not allowed`);
    this.name = 'NotificationContentError';
  }
}

/** The one text every channel sends. Throws if any part is not of the allowed form. */
export function notificationText(facts: NotificationFacts): string {
  if (!(ALERT_SEVERITIES as readonly string[]).includes(facts.severity)) throw new NotificationContentError('severity');
  if (!SHORT_REF.test(facts.shortRef)) throw new NotificationContentError('reference');
  if (!LINK.test(facts.link)) throw new NotificationContentError('link');
  const text = `Panah: ${facts.severity} case ${facts.shortRef} needs acknowledgement — ${facts.link}`;
  if (text.length > NOTIFICATION_TEXT_LENGTH) throw new NotificationContentError('length');
  return text.padEnd(NOTIFICATION_TEXT_LENGTH, ' ');
}

/** Whether a link of this length leaves room for every severity and reference (checked at boot). */
export function linkFits(link: string): boolean {
  const longest = `Panah: ${'x'.repeat(LONGEST_SEVERITY)} case ${'X'.repeat(12)}-${'X'.repeat(12)} needs acknowledgement — ${link}`;
  return longest.length <= NOTIFICATION_TEXT_LENGTH;
}

/** A case's short reference when triage gives none: 8 characters of its id, revealing nothing else. */
export function shortRefFromId(caseId: string): string {
  const compact = caseId.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return compact.slice(0, 8).padEnd(4, '0');
}
