import { sessionToken } from '../api';
import { useApp } from '../app';
import { forgetLocally, NEUTRAL_SITE } from '../session';

/**
 * Leaves at once: ends the server session (best effort, keepalive so it outlives the page), forgets
 * every key and draft, blanks the page and replaces this entry in the history with a neutral site,
 * so the back button does not return here.
 */
export function quickExit(token: string | null): void {
  if (token) {
    void fetch('/v1/reporters/sessions/current', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
      keepalive: true,
      credentials: 'omit',
    }).catch(() => undefined);
  }
  forgetLocally();
  document.title = '';
  document.body.replaceChildren();
  location.replace(NEUTRAL_SITE);
}

export function QuickExit() {
  const { tr } = useApp();
  return (
    <button
      type="button"
      class="quick-exit"
      data-testid="quick-exit"
      onClick={() => quickExit(sessionToken())}
      aria-label={tr.t('exit.label')}
    >
      {tr.t('exit.button')}
    </button>
  );
}
