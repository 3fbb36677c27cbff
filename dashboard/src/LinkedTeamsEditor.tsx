// The teams linked to a lab account: pick teams, preview the impact (teams gaining and losing the account,
// orders in flight), then save with If-Match. A 412 means someone changed the account since it was loaded:
// the edit is refused, not merged, and the page reloads the current teams for the admin to decide again.
import { useEffect, useState } from 'react';
import type { AccountPath } from './api';
import { type Api, errorCode, errorMessage, type Impact, type LabAccount, type Team } from './api';
import { thrownMessage } from './ui';

type Message = { text: string; problem: boolean };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function LinkedTeamsEditor(props: {
  api: Api;
  path: AccountPath;
  account: LabAccount;
  etag: string | null;
  teams: Team[];
  teamName: (id: string) => string;
  canEdit: boolean;
  onChanged: () => Promise<void>;
}) {
  const { api, path, account } = props;
  const [chosen, setChosen] = useState<string[]>(account.team_id_allowlist);
  const [impact, setImpact] = useState<Impact | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  // A reload (after a save or a conflict) shows the stored teams again.
  useEffect(() => {
    setChosen(account.team_id_allowlist);
    setImpact(null);
  }, [account]);

  const unchanged = chosen.length === account.team_id_allowlist.length && chosen.every((id) => account.team_id_allowlist.includes(id));
  const toggle = (id: string, on: boolean) => {
    setImpact(null);
    setMessage(null);
    setChosen(on ? [...chosen, id] : chosen.filter((t) => t !== id));
  };

  const preview = async () => {
    setMessage(null);
    setBusy('preview');
    try {
      const { data, error } = await api.POST('/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}/impact', {
        params: { path },
        body: { team_id_allowlist: chosen },
      });
      if (data) setImpact(data);
      else setMessage({ text: `The preview failed: ${errorMessage(error)}`, problem: true });
    } catch (e) {
      setMessage({ text: thrownMessage(e), problem: true });
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    setBusy('save');
    try {
      const { data, error, response } = await api.PATCH('/v1/org/{org_id}/lab_account/{env}/{region}/{account_id}', {
        params: { path },
        // If-Match is a Labroute extension, not a documented parameter of Junction's operation: sent as a plain header.
        headers: props.etag ? { 'if-match': props.etag } : {},
        body: { team_id_allowlist: chosen },
      });
      if (data) setMessage({ text: 'Saved: the linked teams are updated.', problem: false });
      else if (response.status === 412 || errorCode(error) === 'precondition_failed') {
        setMessage({
          text: 'This account was changed by someone else since you opened it. Your edit was not saved; the page now shows the current teams — check them and save again.',
          problem: true,
        });
      } else setMessage({ text: `Not saved: ${errorMessage(error)}`, problem: true });
      await props.onChanged();
    } catch (e) {
      setMessage({ text: thrownMessage(e), problem: true });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <fieldset disabled={!props.canEdit || busy !== null}>
        <legend>Teams that may order through this account</legend>
        {!props.canEdit && <p className="muted">Only an org admin may change the linked teams.</p>}
        {props.teams.length === 0 && <p>This org has no team in the account’s region.</p>}
        {props.teams.map((t) => (
          <label key={t.id} className="check">
            <input type="checkbox" checked={chosen.includes(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} /> {t.name}
          </label>
        ))}
        <button type="button" onClick={preview} disabled={unchanged}>
          Preview changes
        </button>
        {unchanged && <span className="muted"> Change a team to preview the impact.</span>}
      </fieldset>
      {busy === 'preview' && (
        <p role="status" className="loading">
          Working out the impact…
        </p>
      )}
      {impact && (
        <div className="impact" role="region" aria-label="Impact preview">
          <h3>Before you save</h3>
          <p>Gains the account: {impact.gained.map(props.teamName).join(', ') || 'none'}</p>
          <p>
            Loses the account:{' '}
            {impact.lost
              .map((l) => `${props.teamName(l.team_id)} (${plural(l.in_flight_orders, 'order', 'orders')} in flight)`)
              .join(', ') || 'none'}
          </p>
          <p>Unchanged: {impact.unchanged.map(props.teamName).join(', ') || 'none'}</p>
          {impact.lost.some((l) => l.in_flight_orders > 0) && (
            <p className="muted">
              Orders in flight keep this account: their results still arrive and reconcile. The team only stops placing new orders through
              it.
            </p>
          )}
          <button type="button" onClick={save} disabled={busy !== null}>
            {busy === 'save' ? 'Saving…' : 'Save linked teams'}
          </button>
        </div>
      )}
      {message && (
        <p role={message.problem ? 'alert' : 'status'} className={message.problem ? 'error' : 'message'}>
          {message.text}
        </p>
      )}
    </>
  );
}
