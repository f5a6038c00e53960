import { attachmentHash, bytesEqual, createAttachmentDecryptStream, fromB64u } from '@panah/crypto';
import { useState } from 'preact/hooks';
import { callStream } from '../../api/http';
import { Problem } from '../../components/Problem';
import { formatNumber, useT } from '../../i18n';
import type { AttachmentRef } from './casecrypto';

/**
 * Downloads the encrypted blob as a stream, decrypts it chunk by chunk in the browser, checks the
 * BLAKE2b hash from the (signed, encrypted) reference, and only then offers the file.
 */
export function Attachment({ caseId, ref_ }: { readonly caseId: string; readonly ref_: AttachmentRef }) {
  const t = useT();
  const [url, setUrl] = useState<string | null>(null);
  const [state, setState] = useState<'idle' | 'working' | 'bad_hash'>('idle');
  const [error, setError] = useState<unknown>(null);

  const fetchIt = async () => {
    setState('working');
    setError(null);
    try {
      const body = await callStream('/v1/cases/{id}/attachments/{attachmentId}', {
        id: caseId,
        attachmentId: ref_.id,
      });
      const key = fromB64u(ref_.key, 'key');
      const reader = body.pipeThrough(createAttachmentDecryptStream(key)).getReader();
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        total += value.length;
      }
      const plain = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        plain.set(p, at);
        at += p.length;
      }
      if (!bytesEqual(attachmentHash(plain), fromB64u(ref_.hash, 'hash'))) {
        setState('bad_hash');
        return;
      }
      setUrl(URL.createObjectURL(new Blob([plain], { type: ref_.mime || 'application/octet-stream' })));
      setState('idle');
    } catch (err) {
      setError(err);
      setState('idle');
    }
  };

  return (
    <div class="attachment">
      <span>
        {ref_.name} ({t('case.bytes', { count: ref_.size, n: formatNumber(ref_.size) })})
      </span>{' '}
      {url ? (
        <a href={url} download={ref_.name} class="button" data-testid="attachment-save">
          {t('case.saveFile')}
        </a>
      ) : (
        <button type="button" onClick={fetchIt} disabled={state === 'working'}>
          {state === 'working' ? t('case.decrypting') : t('case.decryptFile')}
        </button>
      )}
      {state === 'bad_hash' && <p class="problem">{t('case.badHash')}</p>}
      <Problem error={error} />
    </div>
  );
}
