// The Labroute dashboard: sign in with one key; management keys open the org view (lab accounts per cell,
// account page with billing matrix, linked-teams editor with impact preview and If-Match, history; teams),
// team keys open the team view (orders, new order with the account step, order page). An org admin opens a
// team's orders with a minted team access token, held in memory only, and comes back to the org view.
import { useEffect, useState, type FormEvent } from 'react';
import { client, errorMessage, storeKey, storedKey, type WhoAmI } from './api';
import { OrgView } from './OrgView';
import { TeamView } from './TeamView';

export function App() {
  const [key, setKey] = useState<string | null>(storedKey());
  const [who, setWho] = useState<WhoAmI | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [teamSession, setTeamSession] = useState<{ token: string; label: string; env: string } | null>(null);

  useEffect(() => {
    if (!key) return;
    setLoading(true);
    client(key).GET('/whoami').then(({ data, error: err, response }) => {
      setLoading(false);
      if (data) setWho(data);
      else {
        setError(response.status === 401 ? 'That key was not recognised. Check it and try again.' : errorMessage(err));
        storeKey(null);
        setKey(null);
      }
    }).catch(() => {
      setLoading(false);
      setError('Labroute is not reachable.');
    });
  }, [key]);

  const signOut = () => {
    storeKey(null);
    setKey(null);
    setWho(null);
    setTeamSession(null);
  };

  if (!key || !who) {
    return <SignIn loading={loading} error={error} onSubmit={(k) => { setError(null); storeKey(k); setKey(k); }} />;
  }
  return (
    <div className="shell">
      <header className="top">
        <span className="brand">Labroute</span>
        <span className="who" aria-label="Signed in as">{who.kind === 'management' ? `Org admin view (${who.role})` : `Team view — ${who.env} / ${who.region}`}</span>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <main id="main">
        {who.kind === 'management' && teamSession && (
          <>
            <div className="banner" role="region" aria-label="Team session">
              Viewing the orders of team {teamSession.label} with a team access token.{' '}
              <button type="button" onClick={() => setTeamSession(null)}>← Back to the org</button>
            </div>
            <TeamView key={teamSession.token} apiKey={teamSession.token} env={teamSession.env} />
          </>
        )}
        {who.kind === 'management' && !teamSession && <OrgView apiKey={key} who={who} onOpenTeam={(token, label, env) => setTeamSession({ token, label, env })} />}
        {who.kind === 'team' && <TeamView apiKey={key} env={who.env ?? 'sandbox'} />}
        {who.kind === 'operator' && <p role="status">Operator keys use the operator API and CLI; sign in with a management or team key.</p>}
      </main>
    </div>
  );
}

function SignIn(props: { loading: boolean; error: string | null; onSubmit: (key: string) => void }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) props.onSubmit(value.trim());
  };
  return (
    <main className="signin">
      <h1>Labroute</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label htmlFor="key">Management key or team API key</label>
        <input id="key" name="key" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
        <button type="submit" disabled={props.loading}>{props.loading ? 'Signing in…' : 'Sign in'}</button>
        {props.error && <p role="alert" className="error">{props.error}</p>}
      </form>
    </main>
  );
}
