// Placeholder shell; the dashboard work replaces it.
export function App() {
  return <main><h1>Labroute</h1></main>;
}
