// Org view: the org's lab accounts per cell with filters, and an account page with its configuration,
// billing matrix, linked-teams editor (impact preview, then PATCH with If-Match) and history; and the org's
// teams (TeamsPage).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { client, errorMessage, type LabAccount, type WhoAmI } from './api';
import { TeamsPage } from './TeamsPage';

type Env = 'sandbox' | 'production';
type Region = 'us' | 'eu';
const CELLS: { env: Env; region: Region }[] = [
  { env: 'sandbox', region: 'us' }, { env: 'production', region: 'us' }, { env: 'sandbox', region: 'eu' }, { env: 'production', region: 'eu' },
];

interface Team { id: string; name: string; region: string }

export function OrgView(props: { apiKey: string; who: WhoAmI; onOpenTeam: (token: string, label: string, env: string) => void }) {
  const [tab, setTab] = useState<'accounts' | 'teams'>('accounts');
  return (
    <>
      <nav aria-label="Org sections" className="tabs">
        <button type="button" aria-current={tab === 'accounts' ? 'page' : undefined} onClick={() => setTab('accounts')}>Lab accounts</button>
        <button type="button" aria-current={tab === 'teams' ? 'page' : undefined} onClick={() => setTab('teams')}>Teams</button>
      </nav>
      {tab === 'accounts' ? <LabAccountsPage apiKey={props.apiKey} who={props.who} /> : <TeamsPage {...props} />}
    </>
  );
}

function LabAccountsPage({ apiKey, who }: { apiKey: string; who: WhoAmI }) {
  const api = useMemo(() => client(apiKey), [apiKey]);
  const orgId = who.org_id!;
  const [cell, setCell] = useState<{ env: Env; region: Region } | null>(null);
  const [accounts, setAccounts] = useState<LabAccount[] | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [filters, setFilters] = useState({ status: '', team: '', lab: '' });

  useEffect(() => {
    api.GET('/v1/org/{org_id}/team', { params: { path: { org_id: orgId } } }).then(({ data }) => setTeams((data?.teams ?? []) as Team[]));
    // Open on the first cell that has accounts.
    (async () => {
      for (const c of CELLS) {
        const { data } = await api.GET('/v1/org/{org_id}/lab_account/{env}/{region}', { params: { path: { org_id: orgId, ...c } } });
        if (data && data.data.length > 0) return setCell(c);
      }
      setCell(CELLS[0]);
    })().catch(() => setError('Could not load lab accounts.'));
  }, [api, orgId]);

  const load = useCallback(() => {
    if (!cell) return;
    setAccounts(null);
    api.GET('/v1/org/{org_id}/lab_account/{env}/{region}', { params: { path: { org_id: orgId, ...cell } } }).then(({ data, error: err }) => {
      if (data) setAccounts(data.data);
      else setError(errorMessage(err));
    });
  }, [api, orgId, cell]);
  useEffect(load, [load]);

  const teamName = (id: string) => teams.find((t) => t.id === id)?.name ?? id.slice(0, 8);
  const visible = (accounts ?? []).filter((a) => (!filters.status || a.status === filters.status)
    && (!filters.team || a.team_id_allowlist.includes(filters.team)) && (!filters.lab || a.lab === filters.lab));

  if (selected && cell) {
    return <AccountPage apiKey={apiKey} orgId={orgId} cell={cell} accountId={selected} teams={teams.filter((t) => t.region === cell.region)}
      canEdit={who.role === 'org_admin'} onBack={() => { setSelected(null); load(); }} />;
  }
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Lab accounts</h1>
      <div className="toolbar">
        <label>Cell{' '}
          <select aria-label="Cell" value={cell ? `${cell.env}/${cell.region}` : ''} onChange={(e) => {
            const [env, region] = e.target.value.split('/') as [Env, Region];
            setCell({ env, region });
          }}>
            {CELLS.map((c) => <option key={`${c.env}/${c.region}`} value={`${c.env}/${c.region}`}>{c.env} / {c.region}</option>)}
          </select>
        </label>
        <label>Status{' '}
          <select aria-label="Filter by status" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
            <option value="">any</option>{['active', 'pending', 'ready_to_launch', 'suspended'].map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>Team{' '}
          <select aria-label="Filter by team" value={filters.team} onChange={(e) => setFilters({ ...filters, team: e.target.value })}>
            <option value="">any</option>{teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </label>
        <label>Lab{' '}
          <select aria-label="Filter by lab" value={filters.lab} onChange={(e) => setFilters({ ...filters, lab: e.target.value })}>
            <option value="">any</option>{[...new Set((accounts ?? []).map((a) => a.lab))].map((l) => <option key={l}>{l}</option>)}
          </select>
        </label>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {!accounts ? <p role="status">Loading…</p> : (
        <div className="table-scroll"><table className="accounts" aria-label="Lab accounts">
          <thead><tr><th>Lab</th><th>Name</th><th>Account number</th><th>Status</th><th>Delegation</th><th>Billing</th><th>Linked teams</th></tr></thead>
          <tbody>
            {visible.map((a) => (
              <tr key={a.id}>
                <td>{a.lab}</td>
                <td><button type="button" className="link" onClick={() => setSelected(a.id)}>{a.account_name ?? a.id.slice(0, 8)}</button></td>
                <td>{a.provider_account_id}</td>
                <td><span className={`badge badge-${a.status}`}>{a.status}</span></td>
                <td>{a.delegated_flow}</td>
                <td>{Object.entries(a.allowed_billing).map(([b, states]) => <div key={b}>{b}: {(states ?? []).join(', ') || '—'}</div>)}</td>
                <td>{a.team_id_allowlist.map(teamName).join(', ') || '—'}</td>
              </tr>
            ))}
            {visible.length === 0 && <tr><td colSpan={7}>No lab accounts match.</td></tr>}
          </tbody>
        </table></div>
      )}
    </section>
  );
}

function AccountPage(props: { apiKey: string; orgId: string; cell: { env: Env; region: Region }; accountId: string; teams: Team[]; canEdit: boolean; onBack: () => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const path = { org_id: props.orgId, ...props.cell, account_id: props.accountId };
  const [account, setAccount] = useState<LabAccount | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [impact, setImpact] = useState<{ gained: string[]; lost: { team_id: string; in_flight_orders: number }[]; unchanged: string[] } | null>(null);
  const [history, setHistory] = useState<{ id: string; at: string; action: string; actor: { kind: string } }[]>([]);
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}', { params: { path } });
    if (!data) setLoadError(errorMessage(error));
    if (data?.lab_account) {
      setAccount(data.lab_account);
      setChosen(data.lab_account.team_id_allowlist);
      setEtag(response.headers.get('etag'));
    }
    const h = await api.GET('/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}/history', { params: { path } });
    setHistory(h.data?.data ?? []);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, props.accountId]);
  useEffect(() => { void load(); }, [load]);

  const name = (id: string) => props.teams.find((t) => t.id === id)?.name ?? id.slice(0, 8);
  const preview = async () => {
    setMessage(null);
    const { data, error } = await api.POST('/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}/impact', { params: { path }, body: { team_id_allowlist: chosen } });
    if (data) setImpact(data);
    else setMessage({ text: errorMessage(error), problem: true });
  };
  const save = async () => {
    const { data, error, response } = await api.PATCH('/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}', {
      params: { path, header: etag ? { 'if-match': etag } : {} }, body: { team_id_allowlist: chosen },
    });
    setImpact(null);
    if (data) setMessage({ text: 'Saved.', problem: false });
    else if (response.status === 412) {
      setMessage({ text: 'This account was changed by someone else since you opened it. Your edit was not saved; the page now shows the current teams — check them and save again.', problem: true });
    } else setMessage({ text: errorMessage(error), problem: true });
    await load();
  };

  if (loadError) return <p role="alert" className="error">{loadError}</p>;
  if (!account) return <p role="status">Loading…</p>;
  const states = [...new Set(Object.values(account.allowed_billing).flat())].filter(Boolean).sort() as string[];
  return (
    <section aria-labelledby="account-title">
      <button type="button" onClick={props.onBack}>← All lab accounts</button>
      <h1 id="account-title">{account.account_name ?? account.id}</h1>
      <dl className="config">
        <dt>Lab</dt><dd>{account.lab}</dd>
        <dt>Account number</dt><dd>{account.provider_account_id}</dd>
        <dt>Status</dt><dd><span className={`badge badge-${account.status}`}>{account.status}</span></dd>
        <dt>Delegation</dt><dd>{account.delegated_flow}</dd>
        <dt>Default clinical notes</dt><dd>{account.default_clinical_notes ?? '—'}</dd>
        <dt>Business units</dt><dd>{account.business_units?.join(', ') || '—'}</dd>
      </dl>
      <h2>Billing by state</h2>
      <div className="table-scroll"><table className="matrix" aria-label="Billing matrix">
        <thead><tr><th>Billing type</th>{states.map((s) => <th key={s}>{s}</th>)}</tr></thead>
        <tbody>{Object.entries(account.allowed_billing).map(([billing, allowed]) => (
          <tr key={billing}><th scope="row">{billing}</th>{states.map((s) => <td key={s}>{(allowed ?? []).includes(s as never) ? '✓' : ''}</td>)}</tr>
        ))}</tbody>
      </table></div>
      <h2>Linked teams</h2>
      <fieldset disabled={!props.canEdit}>
        <legend>Teams that may order through this account</legend>
        {props.teams.map((t) => (
          <label key={t.id} className="check">
            <input type="checkbox" checked={chosen.includes(t.id)} onChange={(e) => {
              setImpact(null);
              setChosen(e.target.checked ? [...chosen, t.id] : chosen.filter((id) => id !== t.id));
            }} /> {t.name}
          </label>
        ))}
        <button type="button" onClick={preview}>Preview changes</button>
      </fieldset>
      {impact && (
        <div className="impact" role="region" aria-label="Impact preview">
          <p>Gains the account: {impact.gained.map(name).join(', ') || 'none'}</p>
          <p>Loses the account: {impact.lost.map((l) => `${name(l.team_id)} (${l.in_flight_orders} orders in flight)`).join(', ') || 'none'}</p>
          <p>Unchanged: {impact.unchanged.map(name).join(', ') || 'none'}</p>
          <button type="button" onClick={save}>Save linked teams</button>
        </div>
      )}
      {message && <p role={message.problem ? 'alert' : 'status'} className={message.problem ? 'error' : 'message'}>{message.text}</p>}
      <h2>History</h2>
      <ol className="history">{history.map((h) => <li key={h.id}><time>{new Date(h.at).toLocaleString()}</time> — {h.action} by {h.actor.kind}</li>)}</ol>
    </section>
  );
}
