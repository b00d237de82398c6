import './styles.css';
import { render } from 'preact';

/** The inbox app's entry: mounts into #app (index.html). */
function App() {
  return (
    <main>
      <h1>Parley inbox</h1>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
