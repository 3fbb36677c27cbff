// The new-order form's lab-account part, from the dry run (`POST /v3/order/resolve_lab_account`): with more
// than one active account of the lab linked, a step listing each with its eligibility and reasons (the single
// eligible one pre-selected); otherwise a note saying which account will be used and why, or why none can.
import type { Candidate } from './api';
import { reasonText } from './orderText';

export type DryRun =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'usable'; text: string; candidates: Candidate[] }
  | { state: 'unusable'; text: string; candidates: Candidate[] };

export function AccountChoice(props: { dryRun: DryRun; showStep: boolean; chosen: string; onChoose: (id: string) => void }) {
  const { dryRun } = props;
  if (dryRun.state === 'idle')
    return <p className="muted">Fill in the patient and the test to see which lab account will take the order.</p>;
  if (dryRun.state === 'checking')
    return (
      <p role="status" className="loading">
        Checking which lab account can take this order…
      </p>
    );
  if (props.showStep) {
    return (
      <fieldset className="account-step">
        <legend>Lab account</legend>
        <p className="muted">More than one active account of this lab is linked to the team: choose the one to order through.</p>
        {dryRun.candidates.map((c) => (
          <label key={c.lab_account_id} className="check">
            <input
              type="radio"
              name="lab_account"
              value={c.lab_account_id}
              checked={props.chosen === c.lab_account_id}
              disabled={!c.eligible}
              onChange={() => props.onChoose(c.lab_account_id)}
            />{' '}
            {c.account_name ?? c.lab_account_id} —{' '}
            {c.eligible ? 'eligible' : `not eligible: ${c.reasons.join(', ')} (${reasonText(c.reasons)})`}
          </label>
        ))}
        {dryRun.state === 'unusable' && dryRun.candidates.every((c) => !c.eligible) && (
          <p role="alert" className="error">
            {dryRun.text}
          </p>
        )}
      </fieldset>
    );
  }
  if (dryRun.state === 'usable')
    return (
      <div className="resolution" role="status">
        <p>{dryRun.text}</p>
      </div>
    );
  return (
    <div className="resolution error" role="alert">
      <p>{dryRun.text}</p>
      {dryRun.candidates.length > 0 && (
        <ul aria-label="Why each account cannot be used">
          {dryRun.candidates.map((c) => (
            <li key={c.lab_account_id}>
              {c.account_name ?? c.lab_account_id}: {reasonText(c.reasons)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
