// One lab account: its configuration, billing matrix, linked-teams editor and history (newest first).
import { useCallback, useMemo } from 'react';
import { type AccountPath, type Cell, client, type HistoryEntry, type LabAccount, type Team } from './api';
import { LinkedTeamsEditor } from './LinkedTeamsEditor';
import { dataOf, LoadState, PageHeading, unwrap, useLoad } from './ui';

export function AccountPage(props: {
  apiKey: string;
  orgId: string;
  cell: Cell;
  accountId: string;
  teams: Team[];
  canEdit: boolean;
  onBack: () => void;
}) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const path: AccountPath = useMemo(
    () => ({ org_id: props.orgId, ...props.cell, account_id: props.accountId }),
    [props.orgId, props.cell, props.accountId],
  );
  const current = useLoad(
    useCallback(async () => {
      const result = await api.GET('/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}', { params: { path } });
      const { lab_account } = dataOf(result);
      // The ETag goes back as If-Match on save, so an edit made since this load is refused instead of overwritten.
      return { account: lab_account, etag: result.response.headers.get('etag') };
    }, [api, path]),
  );
  const history = useLoad(
    useCallback(
      async () => (await unwrap(api.GET('/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}/history', { params: { path } }))).data,
      [api, path],
    ),
  );
  const reload = useCallback(async () => {
    await Promise.all([current.reload(), history.reload()]);
  }, [current, history]);
  const teamName = useCallback((id: string) => props.teams.find((t) => t.id === id)?.name ?? id.slice(0, 8), [props.teams]);

  const account = current.value?.account;
  return (
    <section aria-labelledby="account-title">
      <button type="button" onClick={props.onBack}>
        ← All lab accounts
      </button>
      {!account ? (
        <LoadState loaded={current} what="the lab account" />
      ) : (
        <>
          <PageHeading id="account-title">{account.account_name ?? account.id}</PageHeading>
          <dl className="config">
            <dt>Lab</dt>
            <dd>{account.lab}</dd>
            <dt>Account number</dt>
            <dd>{account.provider_account_id}</dd>
            <dt>Status</dt>
            <dd>
              <span className={`badge badge-${account.status}`}>{account.status}</span>
            </dd>
            <dt>Delegation</dt>
            <dd>{account.delegated_flow}</dd>
            <dt>Default clinical notes</dt>
            <dd>{account.default_clinical_notes ?? '—'}</dd>
            <dt>Business units</dt>
            <dd>{account.business_units?.join(', ') || '—'}</dd>
          </dl>
          <h2>Billing by state</h2>
          <BillingMatrix account={account} />
          <h2>Linked teams</h2>
          <LinkedTeamsEditor
            api={api}
            path={path}
            account={account}
            etag={current.value?.etag ?? null}
            teams={props.teams}
            teamName={teamName}
            canEdit={props.canEdit}
            onChanged={reload}
          />
          {current.error && <LoadState loaded={current} what="the lab account" />}
        </>
      )}
      <h2>History</h2>
      <LoadState loaded={history} what="the account’s history" />
      <ol className="history" aria-label="History">
        {(history.value ?? []).map((h) => (
          <li key={h.id}>
            <time dateTime={h.at}>{new Date(h.at).toLocaleString()}</time> — {h.action} by {h.actor.kind}
            {summary(h, teamName)}
          </li>
        ))}
      </ol>
    </section>
  );
}

function BillingMatrix({ account }: { account: LabAccount }) {
  const states = [...new Set(Object.values(account.allowed_billing).flatMap((s) => s ?? []))].sort();
  const billing = Object.entries(account.allowed_billing);
  if (billing.length === 0) return <p>No billing type is allowed: this account cannot take orders.</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Billing matrix table">
      <table className="matrix" aria-label="Billing matrix">
        <thead>
          <tr>
            <th>Billing type</th>
            {states.length ? states.map((s) => <th key={s}>{s}</th>) : <th>States</th>}
          </tr>
        </thead>
        <tbody>
          {billing.map(([type, allowed]) => (
            <tr key={type}>
              <th scope="row">{type}</th>
              {states.length ? (
                states.map((s) => (
                  <td key={s}>
                    {(allowed ?? []).some((a) => a === s) ? <span aria-label="allowed">✓</span> : <span aria-label="not allowed">–</span>}
                  </td>
                ))
              ) : (
                <td>any (no state list in this region)</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a linkage or status change did, in words (the full before/after is in the API's history). */
function summary(entry: HistoryEntry, teamName: (id: string) => string): string {
  const { before, after } = entry;
  if (!before || !after) return '';
  const parts: string[] = [];
  const added = after.team_id_allowlist.filter((id) => !before.team_id_allowlist.includes(id));
  const removed = before.team_id_allowlist.filter((id) => !after.team_id_allowlist.includes(id));
  if (added.length) parts.push(`linked ${added.map(teamName).join(', ')}`);
  if (removed.length) parts.push(`unlinked ${removed.map(teamName).join(', ')}`);
  if (before.status !== after.status) parts.push(`status ${before.status} → ${after.status}`);
  return parts.length ? `: ${parts.join('; ')}` : '';
}
