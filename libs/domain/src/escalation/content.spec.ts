import {
  CASE_UPDATE_SUBJECT,
  caseUpdateText,
  linkFits,
  NOTIFICATION_KINDS,
  NOTIFICATION_SUBJECT,
  NOTIFICATION_TEXT_LENGTH,
  notificationMessage,
  notificationText,
  shortRefFromId,
} from './content';

describe('notificationText', () => {
  const link = 'https://panah.example/ack#t=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';

  it('says only the fixed sentence, padded to one length for every severity', () => {
    const texts = (['low', 'medium', 'high', 'critical'] as const).map((severity) =>
      notificationText({ severity, shortRef: 'A1B2C3D4', link }),
    );
    expect(texts[3].trimEnd()).toBe(`Panah: critical case A1B2C3D4 needs acknowledgement — ${link}`);
    for (const t of texts) expect(t).toHaveLength(NOTIFICATION_TEXT_LENGTH);
  });

  it('refuses anything that is not a severity, a short reference or a plain link', () => {
    expect(() => notificationText({ severity: 'critical', shortRef: 'Ahmad Karimi', link })).toThrow(
      'reference',
    );
    expect(() =>
      notificationText({
        severity: 'critical',
        shortRef: 'A1B2C3D4',
        link: 'https://x.example/ack?name=Karimi Berlin',
      }),
    ).toThrow('link');
    expect(() => notificationText({ severity: 'urgent' as 'high', shortRef: 'A1B2C3D4', link })).toThrow(
      'severity',
    );
  });

  it('derives short references from ids and checks that links fit', () => {
    expect(shortRefFromId('0c9e6f0a-1b2c-4d5e-8f90-123456789abc')).toBe('0C9E6F0A');
    expect(linkFits(link)).toBe(true);
    expect(linkFits(`https://${'x'.repeat(300)}.example/`)).toBe(false);
  });
});

describe('caseUpdateText', () => {
  const link = 'https://panah.example/case#0c9e6f0a-1b2c-4d5e-8f90-123456789abc';

  it('says only that there is an update on the case, padded to the same length as an escalation text', () => {
    const text = caseUpdateText({ severity: 'critical', shortRef: '0C9E6F0A', link });
    expect(text.trimEnd()).toBe(`Panah: update on critical case 0C9E6F0A — ${link}`);
    expect(text).toHaveLength(NOTIFICATION_TEXT_LENGTH);
    expect(text).not.toMatch(/check|triage|fail|report|panic|duress/i);
  });

  it('refuses the same inputs the escalation text refuses', () => {
    expect(() => caseUpdateText({ severity: 'critical', shortRef: 'Kabul', link })).toThrow('reference');
    expect(() =>
      caseUpdateText({ severity: 'critical', shortRef: '0C9E6F0A', link: `${link}?who=Karimi` }),
    ).toThrow('link');
    expect(() => caseUpdateText({ severity: 'checked-in' as 'low', shortRef: '0C9E6F0A', link })).toThrow(
      'severity',
    );
  });

  it('fits every link that fits the escalation text', () => {
    const longestRef = `${'X'.repeat(12)}-${'X'.repeat(12)}`;
    let fitting = 0;
    for (let n = 1; n < 200; n += 1) {
      const l = `https://${'x'.repeat(n)}.example/case#ABC`;
      if (!linkFits(l)) continue;
      fitting += 1;
      expect(caseUpdateText({ severity: 'critical', shortRef: longestRef, link: l })).toHaveLength(
        NOTIFICATION_TEXT_LENGTH,
      );
    }
    expect(fitting).toBeGreaterThan(50);
  });
});

describe('notificationMessage', () => {
  const facts = { severity: 'high', shortRef: 'A1B2C3D4', link: 'https://panah.example/ack#pk_x' } as const;

  it('gives every kind a subject of one length and a text of one length', () => {
    expect(CASE_UPDATE_SUBJECT).toHaveLength(NOTIFICATION_SUBJECT.length);
    const messages = NOTIFICATION_KINDS.map((kind) => notificationMessage(kind, facts));
    expect(new Set(messages.map((m) => m.subject.length))).toEqual(new Set([NOTIFICATION_SUBJECT.length]));
    expect(new Set(messages.map((m) => m.text.length))).toEqual(new Set([NOTIFICATION_TEXT_LENGTH]));
  });

  it('asks for acknowledgement only in escalation messages', () => {
    expect(notificationMessage('escalation', facts)).toEqual({
      subject: NOTIFICATION_SUBJECT,
      text: notificationText(facts),
    });
    expect(notificationMessage('case_update', facts)).toEqual({
      subject: CASE_UPDATE_SUBJECT,
      text: caseUpdateText(facts),
    });
    expect(notificationMessage('case_update', facts).text).not.toContain('acknowledge');
  });
});
