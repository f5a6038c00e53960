import { render } from 'preact';
import { App } from './app';
import { setLanguage } from './i18n';

setLanguage(navigator.language?.startsWith('fa') ? 'fa' : 'en');
render(<App />, document.getElementById('app')!);
