/**
 * Where the console is. Notification links land on `/ack#pk_…` and `/case#<id>`; inside the
 * console every screen is `/console/#/<screen>/<arg>`. Navigation uses history.pushState (never a
 * page load), so the keys held in memory survive moving between screens. Nothing but the
 * fragment ever carries an id or token.
 */
import { createStore } from './store';

export type Route =
  | { name: 'ack'; token: string }
  | { name: 'case'; id: string }
  | { name: 'cases' }
  | { name: 'queue' }
  | { name: 'register'; token: string }
  | { name: 'admin-staff' }
  | { name: 'admin-teams' }
  | { name: 'admin-rules' }
  | { name: 'admin-policies' }
  | { name: 'admin-keys' }
  | { name: 'admin-audit' }
  | { name: 'home' };

export function parseLocation(pathname: string, hash: string): Route {
  const frag = decodeURIComponent(hash.replace(/^#/, ''));
  if (/\/ack\/?$/.test(pathname)) return { name: 'ack', token: frag };
  if (/\/case\/?$/.test(pathname)) return { name: 'case', id: frag };
  const [screen = '', arg = ''] = frag.replace(/^\//, '').split('/');
  switch (screen) {
    case 'case':
      return { name: 'case', id: arg };
    case 'cases':
      return { name: 'cases' };
    case 'queue':
      return { name: 'queue' };
    case 'register':
      return { name: 'register', token: arg };
    case 'admin-staff':
    case 'admin-teams':
    case 'admin-rules':
    case 'admin-policies':
    case 'admin-keys':
    case 'admin-audit':
      return { name: screen };
    default:
      return { name: 'home' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'ack':
      return `/ack#${route.token}`;
    case 'case':
      return `/console/#/case/${route.id}`;
    case 'register':
      return `/console/#/register/${route.token}`;
    case 'home':
      return '/console/';
    case 'cases':
    case 'queue':
    case 'admin-staff':
    case 'admin-teams':
    case 'admin-rules':
    case 'admin-policies':
    case 'admin-keys':
    case 'admin-audit':
      return `/console/#/${route.name}`;
  }
}

export const route = createStore<Route>(parseLocation(location.pathname, location.hash));

export function navigate(next: Route): void {
  history.pushState(null, '', hrefOf(next));
  route.set(next);
  scrollTo(0, 0);
}

addEventListener('popstate', () => route.set(parseLocation(location.pathname, location.hash)));
addEventListener('hashchange', () => route.set(parseLocation(location.pathname, location.hash)));
