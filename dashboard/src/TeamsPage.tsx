// The org's teams: list them, create a team, create a team API key (shown once), and open any team's orders
// through a short-lived team access token minted with the management key (the org admin never needs the
// team's own keys).
import { useCallback, useMemo, useState } from 'react';
import { client, type Env, type Team, type WhoAmI } from './api';
import type { TeamSession } from './session';
import { CreateKeyForm, CreateTeamForm, type NewKey, NewKeyNotice } from './TeamForms';
import { ErrorAlert, LoadState, PageHeading, unwrap, useAction, useLoad } from './ui';

export function TeamsPage(props: { apiKey: string; who: WhoAmI; onOpenTeam: (session: TeamSession) => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const orgId = props.who.org_id ?? '';
  const canEdit = props.who.role === 'org_admin';
  const teams = useLoad(
    useCallback(async () => (await unwrap(api.GET('/v1/org/{org_id}/team', { params: { path: { org_id: orgId } } }))).teams, [api, orgId]),
  );
  const [openEnv, setOpenEnv] = useState<Env>('sandbox');
  const [newKey, setNewKey] = useState<NewKey | null>(null);
  const { busy: opening, error, run } = useAction();

  const openOrders = (team: Team) =>
    run(team.id, `Could not open the orders of ${team.name}`, async () => {
      const token = await unwrap(
        api.POST('/v1/org/{org_id}/team/{team_id}/create_api_access_token', {
          params: { path: { org_id: orgId, team_id: team.id } },
          body: { env: openEnv },
        }),
      );
      props.onOpenTeam({
        token: token.access_token,
        label: `${team.name} (${openEnv} / ${team.region})`,
        env: openEnv,
        expiresAt: Date.now() + token.expires_in * 1000,
      });
    });

  return (
    <section aria-labelledby="teams-title">
      <PageHeading id="teams-title">Teams</PageHeading>
      <div className="toolbar">
        <label>
          Open orders in{' '}
          <select aria-label="Environment for opening orders" value={openEnv} onChange={(e) => setOpenEnv(e.target.value as Env)}>
            <option value="sandbox">sandbox</option>
            <option value="production">production</option>
          </select>
        </label>
      </div>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {opening && (
        <p role="status" className="loading">
          Minting a team access token…
        </p>
      )}
      <LoadState loaded={teams} what="the org’s teams" />
      {teams.value && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Teams table">
          <table aria-label="Teams">
            <thead>
              <tr>
                <th>Name</th>
                <th>Region</th>
                <th>Id</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.value.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.region}</td>
                  <td>
                    <code>{t.id}</code>
                  </td>
                  <td>
                    <button
                      type="button"
                      disabled={opening !== null}
                      onClick={() => void openOrders(t)}
                      aria-label={`Open orders of ${t.name}`}
                    >
                      Open orders
                    </button>
                  </td>
                </tr>
              ))}
              {teams.value.length === 0 && (
                <tr>
                  <td colSpan={4}>No teams yet.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && (
        <div className="forms">
          <CreateTeamForm api={api} orgId={orgId} onCreated={() => teams.reload()} />
          <CreateKeyForm api={api} orgId={orgId} teams={teams.value ?? []} onCreated={setNewKey} />
        </div>
      )}
      {newKey && <NewKeyNotice created={newKey} onDone={() => setNewKey(null)} />}
    </section>
  );
}
