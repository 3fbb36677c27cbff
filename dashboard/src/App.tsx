// The Labroute dashboard: sign in with one key; `GET /whoami` picks the view. Management keys open the org
// view, team keys the team view. An org admin opens a team's orders with a minted team access token, held in
// memory only (never stored), and comes back to the org view without signing in again.
import { useEffect, useState } from 'react';
import { client, errorMessage, storedKey, storeKey, UNREACHABLE, type WhoAmI } from './api';
import { OrgView } from './OrgView';
import { SignIn } from './SignIn';
import type { TeamSession } from './session';
import { TeamView } from './TeamView';

export function App() {
  const [key, setKey] = useState<string | null>(storedKey());
  const [who, setWho] = useState<WhoAmI | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [teamSession, setTeamSession] = useState<TeamSession | null>(null);

  useEffect(() => {
    if (!key) return;
    let current = true;
    const forget = (message: string) => {
      setError(message);
      storeKey(null);
      setKey(null);
    };
    client(key)
      .GET('/whoami')
      .then(({ data, error: err, response }) => {
        if (!current) return;
        if (data) setWho(data);
        else forget(response.status === 401 ? 'That key was not recognised. Check it and try again.' : errorMessage(err));
      })
      .catch(() => {
        if (current) forget(UNREACHABLE);
      });
    return () => {
      current = false;
    };
  }, [key]);

  const signOut = () => {
    storeKey(null);
    setKey(null);
    setWho(null);
    setTeamSession(null);
  };

  if (!key || !who) {
    return (
      <SignIn
        checking={Boolean(key)}
        error={error}
        onSubmit={(k) => {
          setError(null);
          storeKey(k);
          setKey(k);
        }}
      />
    );
  }
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Labroute</span>
        <span className="who">{describe(who)}</span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        {who.kind === 'management' && teamSession && (
          <>
            <div className="banner" role="region" aria-label="Team session">
              Viewing the orders of team {teamSession.label} with a team access token, valid until{' '}
              {new Date(teamSession.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} (open the team again for a
              new one).{' '}
              <button type="button" onClick={() => setTeamSession(null)}>
                ← Back to the org
              </button>
            </div>
            <TeamView key={teamSession.token} apiKey={teamSession.token} env={teamSession.env} />
          </>
        )}
        {who.kind === 'management' && !teamSession && <OrgView apiKey={key} who={who} onOpenTeam={setTeamSession} />}
        {who.kind === 'team' && <TeamView apiKey={key} env={who.env ?? 'sandbox'} />}
        {who.kind === 'operator' && <p role="status">Operator keys use the operator API and CLI; sign in with a management or team key.</p>}
      </main>
    </div>
  );
}

function describe(who: WhoAmI): string {
  if (who.kind === 'management') return `Org admin view (${who.role})`;
  if (who.kind === 'team') return `Team view — ${who.env} / ${who.region}`;
  return 'Operator';
}
