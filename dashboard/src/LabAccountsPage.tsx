// The org's lab accounts in one cell (opening on the first cell that has any), filtered by status, linked
// team and lab; a row opens its account page.
import { useCallback, useMemo, useState } from 'react';
import { AccountPage } from './AccountPage';
import { CELLS, type Cell, client, type Env, type Region, type WhoAmI } from './api';
import { LoadState, PageHeading, unwrap, useLoad } from './ui';

const STATUSES = ['active', 'pending', 'ready_to_launch', 'suspended'];

export function LabAccountsPage({ apiKey, who }: { apiKey: string; who: WhoAmI }) {
  const api = useMemo(() => client(apiKey), [apiKey]);
  const orgId = who.org_id ?? '';
  const [chosenCell, setChosenCell] = useState<Cell | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [filters, setFilters] = useState({ status: '', team: '', lab: '' });

  const teams = useLoad(
    useCallback(async () => (await unwrap(api.GET('/v1/org/{org_id}/team', { params: { path: { org_id: orgId } } }))).teams, [api, orgId]),
  );
  const firstCell = useLoad(
    useCallback(async () => {
      for (const c of CELLS) {
        const { data } = await unwrap(
          api.GET('/v1/org/{org_id}/lab_account/{env}/{region}', { params: { path: { org_id: orgId, ...c } } }),
        );
        if (data.length > 0) return c;
      }
      return CELLS[0];
    }, [api, orgId]),
  );
  const cell = chosenCell ?? firstCell.value ?? null;
  const accounts = useLoad(
    useCallback(async () => {
      if (!cell) return null;
      return (await unwrap(api.GET('/v1/org/{org_id}/lab_account/{env}/{region}', { params: { path: { org_id: orgId, ...cell } } }))).data;
    }, [api, orgId, cell]),
  );

  const teamName = (id: string) => teams.value?.find((t) => t.id === id)?.name ?? id.slice(0, 8);
  const visible = (accounts.value ?? []).filter(
    (a) =>
      (!filters.status || a.status === filters.status) &&
      (!filters.team || a.team_id_allowlist.includes(filters.team)) &&
      (!filters.lab || a.lab === filters.lab),
  );

  if (selected && cell) {
    return (
      <AccountPage
        apiKey={apiKey}
        orgId={orgId}
        cell={cell}
        accountId={selected}
        teams={(teams.value ?? []).filter((t) => t.region === cell.region)}
        canEdit={who.role === 'org_admin'}
        onBack={() => {
          setSelected(null);
          void accounts.reload();
        }}
      />
    );
  }
  const setFilter = (name: keyof typeof filters) => (value: string) => setFilters({ ...filters, [name]: value });
  return (
    <section aria-labelledby="accounts-title">
      <PageHeading id="accounts-title">Lab accounts</PageHeading>
      <div className="toolbar" role="search" aria-label="Filter lab accounts">
        <label>
          Cell{' '}
          <select
            aria-label="Cell"
            value={cell ? `${cell.env}/${cell.region}` : ''}
            onChange={(e) => {
              const [env, region] = e.target.value.split('/') as [Env, Region];
              setChosenCell({ env, region });
            }}
          >
            {CELLS.map((c) => (
              <option key={`${c.env}/${c.region}`} value={`${c.env}/${c.region}`}>
                {c.env} / {c.region}
              </option>
            ))}
          </select>
        </label>
        <Filter label="Filter by status" value={filters.status} onChange={setFilter('status')} options={STATUSES.map((s) => [s, s])} />
        <Filter
          label="Filter by team"
          value={filters.team}
          onChange={setFilter('team')}
          options={(teams.value ?? []).map((t) => [t.id, t.name])}
        />
        <Filter
          label="Filter by lab"
          value={filters.lab}
          onChange={setFilter('lab')}
          options={[...new Set((accounts.value ?? []).map((a) => a.lab))].map((l) => [l, l])}
        />
      </div>
      <LoadState loaded={teams} what="the org’s teams" />
      <LoadState loaded={{ loading: accounts.loading || !cell, error: firstCell.error ?? accounts.error }} what="lab accounts" />
      {accounts.value && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Lab accounts table">
          <table className="accounts stack" aria-label="Lab accounts">
            <thead>
              <tr>
                <th>Lab</th>
                <th>Name</th>
                <th>Account number</th>
                <th>Status</th>
                <th>Delegation</th>
                <th>Billing</th>
                <th>Linked teams</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((a) => (
                <tr key={a.id}>
                  <td data-label="Lab">{a.lab}</td>
                  <td data-label="Name">
                    <button type="button" className="link" onClick={() => setSelected(a.id)}>
                      {a.account_name ?? a.id.slice(0, 8)}
                    </button>
                  </td>
                  <td data-label="Account number">{a.provider_account_id}</td>
                  <td data-label="Status">
                    <span className={`badge badge-${a.status}`}>{a.status}</span>
                  </td>
                  <td data-label="Delegation">{a.delegated_flow}</td>
                  <td data-label="Billing">
                    {Object.entries(a.allowed_billing).map(([b, states]) => (
                      <div key={b}>
                        {b}: {(states ?? []).join(', ') || '—'}
                      </div>
                    ))}
                  </td>
                  <td data-label="Linked teams">{a.team_id_allowlist.map(teamName).join(', ') || '—'}</td>
                </tr>
              ))}
              {visible.length === 0 && (
                <tr>
                  <td colSpan={7}>No lab accounts match.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A filter select whose visible label ("Status") is shorter than its accessible name ("Filter by status"). */
function Filter(props: { label: string; value: string; onChange: (value: string) => void; options: [string, string][] }) {
  const short = props.label.replace(/^Filter by /, '');
  return (
    <label>
      {short[0].toUpperCase() + short.slice(1)}{' '}
      <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">any</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
