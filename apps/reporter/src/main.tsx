import { render } from 'preact';

function App() {
  return <main><h1>Panah</h1></main>;
}

render(<App />, document.getElementById('app') as HTMLElement);
