import { fromB64u, sealEnvelope } from '@panah/crypto';
import { useState } from 'preact/hooks';
import { call } from '../../api/http';
import type { CaseRecipients } from '../../api/types';
import { Field } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { useT } from '../../i18n';
import { draftOf, session, setDraft } from '../../session';
import { useStore } from '../../store';

/**
 * A reply to the reporter or a case note, sealed here (spec §9) to exactly the keys the server
 * lists for this case, signed with the staff sign key. The draft and its id live in the session
 * module, so an expired session or a network failure loses nothing and a retry cannot duplicate.
 */
export function Composer({
  caseId,
  kind,
  onSent,
}: {
  readonly caseId: string;
  readonly kind: 'message' | 'note';
  readonly onSent: () => void;
}) {
  const t = useT();
  const s = useStore(session);
  const key = `${kind}:${caseId}`;
  const [text, setText] = useState(draftOf(key));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const update = (v: string) => {
    setText(v);
    setDraft(key, v);
    setSent(false);
  };

  const send = async (e: Event) => {
    e.preventDefault();
    if (!s || !text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      let id = draftOf(`${key}:id`);
      if (!id) {
        id = crypto.randomUUID();
        setDraft(`${key}:id`, id);
      }
      const recipients = await call<CaseRecipients>('GET', '/v1/cases/{id}/recipients', {
        path: { id: caseId },
      });
      const envelope = sealEnvelope({
        kind,
        id,
        plaintext: JSON.stringify({ schema: `panah/${kind}/v1`, text }),
        recipientPublicKeys: recipients[kind].map((r) => fromB64u(r.pk, 'pk')),
        authorSignSecretKey: s.keys.signKeyPair.privateKey,
      });
      if (kind === 'message')
        await call('PUT', '/v1/cases/{id}/messages/{messageId}', {
          path: { id: caseId, messageId: id },
          body: { envelope },
        });
      else
        await call('PUT', '/v1/cases/{id}/notes/{noteId}', {
          path: { id: caseId, noteId: id },
          body: { envelope },
        });
      setDraft(key, '');
      setDraft(`${key}:id`, '');
      setText('');
      setSent(true);
      onSent();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card composer" onSubmit={send} aria-labelledby={`${key}-title`}>
      <h2 id={`${key}-title`}>{t(kind === 'message' ? 'case.replyTitle' : 'case.noteTitle')}</h2>
      <Field
        label={t(kind === 'message' ? 'case.replyLabel' : 'case.noteLabel')}
        value={text}
        onValue={update}
        multiline
        name={kind}
        hint={t(kind === 'message' ? 'case.replyHint' : 'case.noteHint')}
      />
      <Problem error={error} />
      {sent && (
        <p class="notice" role="status">
          {t('case.sent')}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !text.trim()} data-testid={`send-${kind}`}>
        {busy ? t('case.sending') : t(kind === 'message' ? 'case.sendReply' : 'case.saveNote')}
      </button>
    </form>
  );
}
