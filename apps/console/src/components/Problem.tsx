import { ApiError } from '../api/http';
import { useT } from '../i18n';

/** A case of another team (its 404, or a role or case rule's 403); other refusals say their reason. */
function isCaseRefusal(error: ApiError): boolean {
  if (error.reason === 'case/not_found') return true;
  if (error.status !== 403) return false;
  // Every 403 has the code auth/forbidden; a rule with its own reason (a second admin must approve) says it.
  return (
    error.reason === undefined ||
    error.reason.startsWith('case/') ||
    error.reason === 'escalation/not_your_case'
  );
}

/** Explains a failure in words a caseworker at 3 a.m. can act on; nothing typed is cleared. */
export function Problem({ error }: { readonly error: unknown }) {
  const t = useT();
  if (!error) return null;
  let text: string;
  if (error instanceof ApiError) {
    if (error.network) text = t('error.network');
    else if (error.status === 401) text = t('error.expired');
    else if (isCaseRefusal(error)) text = t('error.refused');
    else if (error.status === 429) text = t('error.throttled');
    else if (error.status >= 500) text = t('error.server');
    else {
      const fields = error.fields.map((f) => `${f.path}: ${f.message}`).join('; ');
      text = t('error.refusedWith', { status: error.status, message: fields || error.message });
    }
  } else {
    text = t('error.unexpected', { message: error instanceof Error ? error.message : String(error) });
  }
  return (
    <div class="problem" role="alert">
      {text}
    </div>
  );
}
