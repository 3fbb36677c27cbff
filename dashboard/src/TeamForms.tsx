// Org admin forms on the teams page: create a team, create a team API key, and the one-time display of a new
// key's secret (Labroute stores only its hash, so it can never be shown again).
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Api, Env, Region, Schemas, Team } from './api';
import { ErrorAlert, unwrap, useAction } from './ui';

export interface NewKey {
  team: string;
  env: Env;
  value: string;
}

export function CreateTeamForm(props: { api: Api; orgId: string; onCreated: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [region, setRegion] = useState<Region>('us');
  const [created, setCreated] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    void run('create', 'The team was not created', async () => {
      // The generated body type lists the team settings the API defaults as required; leaving them out keeps
      // the API's defaults.
      const body = { name: name.trim(), region } as Schemas['CreateOrgTeamBody'];
      const team = await unwrap(props.api.POST('/v1/org/{org_id}/team', { params: { path: { org_id: props.orgId } }, body }));
      setName('');
      setCreated(team.name);
      await props.onCreated();
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-team-title" className="card">
      <h2 id="create-team-title">Create a team</h2>
      <label className="field">
        Team name
        <input name="team-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </label>
      <label className="field">
        Region
        <select name="team-region" value={region} onChange={(e) => setRegion(e.target.value as Region)}>
          <option value="us">us</option>
          <option value="eu">eu</option>
        </select>
      </label>
      <button type="submit" disabled={busy !== null || !name.trim()}>
        {busy ? 'Creating…' : 'Create team'}
      </button>
      {created && (
        <p role="status" className="message">
          Team {created} created.
        </p>
      )}
      {error && <ErrorAlert>{error}</ErrorAlert>}
    </form>
  );
}

export function CreateKeyForm(props: { api: Api; orgId: string; teams: Team[]; onCreated: (key: NewKey) => void }) {
  const [teamId, setTeamId] = useState('');
  const [env, setEnv] = useState<Env>('sandbox');
  const [label, setLabel] = useState('');
  const { busy, error, setError, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const team = props.teams.find((t) => t.id === teamId);
    if (!team) return setError('Choose a team for the key.');
    void run('create', 'The key was not created', async () => {
      const key = await unwrap(
        props.api.POST('/v1/org/{org_id}/team_api_keys/{env}/{region}', {
          params: { path: { org_id: props.orgId, env, region: team.region } },
          body: { label: label.trim() || 'dashboard', team_id: team.id },
        }),
      );
      setLabel('');
      props.onCreated({ team: team.name, env, value: key.value });
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-key-title" className="card">
      <h2 id="create-key-title">Create a team API key</h2>
      <label className="field">
        Team
        <select name="key-team" aria-label="Team for the key" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
          <option value="">Choose a team</option>
          {props.teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Environment
        <select name="key-env" value={env} onChange={(e) => setEnv(e.target.value as Env)}>
          <option value="sandbox">sandbox</option>
          <option value="production">production</option>
        </select>
      </label>
      <label className="field">
        Label
        <input name="key-label" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} />
      </label>
      <button type="submit" disabled={busy !== null || !teamId}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
      {error && <ErrorAlert>{error}</ErrorAlert>}
    </form>
  );
}

/** The new key's secret, once: a read-only monospace field (no stray spaces or line breaks when copied). */
export function NewKeyNotice({ created, onDone }: { created: NewKey; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  // Focus (and so select) the secret when it appears: keyboard and screen-reader users land on it.
  useEffect(() => {
    field.current?.focus();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.value);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('The browser did not allow copying: select the key and copy it yourself.');
    }
  };
  return (
    <div className="card secret" role="region" aria-label="New team API key">
      <p>
        <strong>Copy this key now: it will not be shown again.</strong> Labroute keeps only a hash of it.
      </p>
      <label className="field">
        {created.team} — {created.env} key
        <input
          ref={field}
          readOnly
          value={created.value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.target.select()}
          aria-describedby="secret-note"
        />
      </label>
      <p id="secret-note" className="muted">
        Send it as the <code>x-vital-api-key</code> header.
      </p>
      <div className="toolbar">
        <button type="button" onClick={() => void copy()}>
          Copy key
        </button>
        <button type="button" onClick={onDone}>
          I have copied it
        </button>
      </div>
      {copied && (
        <p role="status" className="message">
          {copied}
        </p>
      )}
    </div>
  );
}
