import { render } from 'preact';
import { App } from './app';
import { setLanguage } from './i18n';
import './styles.css';

setLanguage(navigator.language?.startsWith('fa') ? 'fa' : 'en');
render(<App />, document.getElementById('app')!);
