// Sign-in: one key field (management key or team API key); Enter submits (SPEC.md §4).
import { type FormEvent, useState } from 'react';

export function SignIn(props: { checking: boolean; error: string | null; onSubmit: (key: string) => void }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) props.onSubmit(value.trim());
  };
  return (
    <main className="signin" id="main">
      <h1>Labroute</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label htmlFor="key">Management key or team API key</label>
        <input
          id="key"
          name="key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoFocus
          aria-describedby="key-help"
        />
        <p id="key-help" className="muted">
          A management key (<code>mg_…</code>) opens the org view; a team API key opens that team’s orders.
        </p>
        <button type="submit" disabled={props.checking}>
          {props.checking ? 'Signing in…' : 'Sign in'}
        </button>
        {props.checking && (
          <p role="status" className="loading">
            Checking the key…
          </p>
        )}
        {props.error && (
          <p role="alert" className="error">
            {props.error}
          </p>
        )}
      </form>
    </main>
  );
}
