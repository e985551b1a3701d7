export function App() {
  return (
    <main className="app">
      <header className="app-header">
        <h1>Timelapser</h1>
      </header>
    </main>
  );
}
