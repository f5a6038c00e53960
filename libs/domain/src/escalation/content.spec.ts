import { linkFits, NOTIFICATION_TEXT_LENGTH, notificationText, shortRefFromId } from './content';

describe('notificationText', () => {
  const link = 'https://panah.example/ack#t=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';

  it('says only the fixed sentence, padded to one length for every severity', () => {
    const texts = (['low', 'medium', 'high', 'critical'] as const).map((severity) => notificationText({ severity, shortRef: 'A1B2C3D4', link }));
    expect(texts[3].trimEnd()).toBe(`Panah: critical case A1B2C3D4 needs acknowledgement — ${link}`);
    for (const t of texts) expect(t).toHaveLength(NOTIFICATION_TEXT_LENGTH);
  });

  it('refuses anything that is not a severity, a short reference or a plain link', () => {
    expect(() => notificationText({ severity: 'critical', shortRef: 'Ahmad Karimi', link })).toThrow('reference');
    expect(() => notificationText({ severity: 'critical', shortRef: 'A1B2C3D4', link: 'https://x.example/ack?name=Karimi Berlin' })).toThrow('link');
    expect(() => notificationText({ severity: 'urgent' as 'high', shortRef: 'A1B2C3D4', link })).toThrow('severity');
  });

  it('derives short references from ids and checks that links fit', () => {
    expect(shortRefFromId('0c9e6f0a-1b2c-4d5e-8f90-123456789abc')).toBe('0C9E6F0A');
    expect(linkFits(link)).toBe(true);
    expect(linkFits(`https://${'x'.repeat(300)}.example/`)).toBe(false);
  });
});
