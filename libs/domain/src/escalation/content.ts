import { ALERT_SEVERITIES, type AlertSeverity } from './severity';

/**
 * G5: a notification says only "Panah: <severity> case <short ref> needs acknowledgement — <link>"
 * (an escalation step) or "Panah: update on <severity> case <short ref> — <link>" (something
 * happened on a case its people should look at), in every channel, padded with spaces to one
 * fixed length, under subjects of one length, so that neither the kind, the severity nor the
 * reference can be told apart by the size of an encrypted message on the wire. Inputs are checked
 * against strict patterns so that no other text (a name, a place, a hint, what happened) can ever
 * reach a channel.
 */
export const NOTIFICATION_TEXT_LENGTH = 240;
export const NOTIFICATION_SUBJECT = 'Panah: acknowledgement needed';
/** As long as NOTIFICATION_SUBJECT (a unit test holds them equal). */
export const CASE_UPDATE_SUBJECT = 'Panah: case update for review';

/**
 * What a notification is for; stored with it (`escalation_notifications.kind`), never renamed.
 * `escalation`: a step of the case's escalation asks for acknowledgement. `case_update`: the
 * case's people are told something happened (the reporter checked in after the alert; triage
 * failed), which never asks them to acknowledge and is never cancelled by an acknowledgement.
 */
export const NOTIFICATION_KINDS = ['escalation', 'case_update'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

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

/** The escalation text every channel sends. Throws if any part is not of the allowed form. */
export function notificationText(facts: NotificationFacts): string {
  checkFacts(facts);
  return padded(`Panah: ${facts.severity} case ${facts.shortRef} needs acknowledgement — ${facts.link}`);
}

/** The case-update text: shorter than the escalation text, so every link that fits one fits both. */
export function caseUpdateText(facts: NotificationFacts): string {
  checkFacts(facts);
  return padded(`Panah: update on ${facts.severity} case ${facts.shortRef} — ${facts.link}`);
}

/** Subject and text of a notification of the given kind (the only two messages Panah sends staff). */
export function notificationMessage(
  kind: NotificationKind,
  facts: NotificationFacts,
): { subject: string; text: string } {
  switch (kind) {
    case 'escalation':
      return { subject: NOTIFICATION_SUBJECT, text: notificationText(facts) };
    case 'case_update':
      return { subject: CASE_UPDATE_SUBJECT, text: caseUpdateText(facts) };
  }
}

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

function checkFacts(facts: NotificationFacts): void {
  if (!(ALERT_SEVERITIES as readonly string[]).includes(facts.severity))
    throw new NotificationContentError('severity');
  if (!SHORT_REF.test(facts.shortRef)) throw new NotificationContentError('reference');
  if (!LINK.test(facts.link)) throw new NotificationContentError('link');
}

function padded(text: string): string {
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
