// Org view — teams: the org's teams, creating a team, creating a team API key (its secret is shown once:
// Labroute stores only a hash), and opening any team's orders through a short-lived team access token
// minted with the management key (the org admin never needs the team's own keys).
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { client, errorMessage, type WhoAmI } from './api';

type Env = 'sandbox' | 'production';
type Region = 'us' | 'eu';
interface Team { id: string; name: string; region: Region }

export function TeamsPage(props: { apiKey: string; who: WhoAmI; onOpenTeam: (token: string, label: string, env: string) => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const orgId = props.who.org_id!;
  const canEdit = props.who.role === 'org_admin';
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newTeam, setNewTeam] = useState({ name: '', region: 'us' as Region });
  const [keyFor, setKeyFor] = useState<{ teamId: string; env: Env; label: string }>({ teamId: '', env: 'sandbox', label: '' });
  const [shownKey, setShownKey] = useState<{ team: string; env: Env; value: string } | null>(null);
  const [openEnv, setOpenEnv] = useState<Env>('sandbox');

  const load = useCallback(async () => {
    const { data, error: err } = await api.GET('/v1/org/{org_id}/team', { params: { path: { org_id: orgId } } });
    if (data) setTeams(data.teams as Team[]);
    else setError(errorMessage(err));
  }, [api, orgId]);
  useEffect(() => { void load(); }, [load]);

  const createTeam = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    // The generated request type marks the team settings with server defaults as required; the API fills them.
    const { data, error: err } = await api.POST('/v1/org/{org_id}/team', { params: { path: { org_id: orgId } }, body: { name: newTeam.name.trim(), region: newTeam.region } as never });
    if (!data) return setError(errorMessage(err));
    setNewTeam({ name: '', region: newTeam.region });
    await load();
  };

  const createKey = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const team = teams?.find((t) => t.id === keyFor.teamId);
    if (!team) return setError('Choose a team for the key.');
    const { data, error: err } = await api.POST('/v1/org/{org_id}/team_api_keys/{env}/{region}', {
      params: { path: { org_id: orgId, env: keyFor.env, region: team.region } }, body: { label: keyFor.label.trim() || 'dashboard', team_id: team.id },
    });
    if (!data) return setError(errorMessage(err));
    setShownKey({ team: team.name, env: keyFor.env, value: data.value });
  };

  const openOrders = async (team: Team) => {
    setError(null);
    const { data, error: err } = await api.POST('/v1/org/{org_id}/team/{team_id}/create_api_access_token', {
      params: { path: { org_id: orgId, team_id: team.id } }, body: { env: openEnv },
    });
    if (!data) return setError(errorMessage(err));
    props.onOpenTeam(data.access_token, `${team.name} (${openEnv} / ${team.region})`, openEnv);
  };

  return (
    <section aria-labelledby="teams-title">
      <h1 id="teams-title">Teams</h1>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="toolbar">
        <label>Open orders in{' '}
          <select aria-label="Environment for opening orders" value={openEnv} onChange={(e) => setOpenEnv(e.target.value as Env)}>
            <option value="sandbox">sandbox</option><option value="production">production</option>
          </select>
        </label>
      </div>
      {!teams ? <p role="status">Loading…</p> : (
        <div className="table-scroll">
          <table aria-label="Teams">
            <thead><tr><th>Name</th><th>Region</th><th>Id</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td><td>{t.region}</td><td><code>{t.id}</code></td>
                  <td><button type="button" onClick={() => void openOrders(t)} aria-label={`Open orders of ${t.name}`}>Open orders</button></td>
                </tr>
              ))}
              {teams.length === 0 && <tr><td colSpan={4}>No teams yet.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && (
        <div className="forms">
          <form onSubmit={createTeam} aria-labelledby="create-team-title" className="card">
            <h2 id="create-team-title">Create a team</h2>
            <label className="field">Team name<input name="team-name" value={newTeam.name} onChange={(e) => setNewTeam({ ...newTeam, name: e.target.value })} required /></label>
            <label className="field">Region
              <select name="team-region" value={newTeam.region} onChange={(e) => setNewTeam({ ...newTeam, region: e.target.value as Region })}>
                <option value="us">us</option><option value="eu">eu</option>
              </select>
            </label>
            <button type="submit" disabled={!newTeam.name.trim()}>Create team</button>
          </form>
          <form onSubmit={createKey} aria-labelledby="create-key-title" className="card">
            <h2 id="create-key-title">Create a team API key</h2>
            <label className="field">Team
              <select name="key-team" aria-label="Team for the key" value={keyFor.teamId} onChange={(e) => setKeyFor({ ...keyFor, teamId: e.target.value })}>
                <option value="">Choose a team</option>{(teams ?? []).map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
              </select>
            </label>
            <label className="field">Environment
              <select name="key-env" value={keyFor.env} onChange={(e) => setKeyFor({ ...keyFor, env: e.target.value as Env })}>
                <option value="sandbox">sandbox</option><option value="production">production</option>
              </select>
            </label>
            <label className="field">Label<input name="key-label" value={keyFor.label} onChange={(e) => setKeyFor({ ...keyFor, label: e.target.value })} /></label>
            <button type="submit" disabled={!keyFor.teamId}>Create key</button>
          </form>
        </div>
      )}
      {shownKey && (
        <div className="card secret" role="region" aria-label="New team API key">
          <p><strong>Copy this key now: it will not be shown again.</strong> Labroute keeps only a hash of it.</p>
          <label className="field">{shownKey.team} — {shownKey.env} key
            <input readOnly value={shownKey.value} onFocus={(e) => e.target.select()} aria-describedby="secret-note" />
          </label>
          <p id="secret-note" className="muted">Send it as the <code>x-vital-api-key</code> header.</p>
          <button type="button" onClick={() => setShownKey(null)}>I have copied it</button>
        </div>
      )}
    </section>
  );
}
