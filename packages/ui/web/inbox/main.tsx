import './styles.css';
import { render } from 'preact';
import { ControlCenter } from './control/control-center';

/** The inbox app's entry: mounts into #app (index.html). */
function App() {
  return (
    <main>
      <h1>Parley inbox</h1>
    </main>
  );
}

// Until the inbox's router mounts it at /ui/control/*.
render(
  location.pathname.startsWith('/ui/control') ? (
    <main>
      <ControlCenter />
    </main>
  ) : (
    <App />
  ),
  document.getElementById('app')!,
);
