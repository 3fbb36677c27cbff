// The lab account an order goes through (SPEC.md §3): the one named in the request if the team may use it,
// else the one resolution picks among the team's accounts for the order's lab — always through the domain's
// resolveLabAccount, over the accounts of the team's cell.
import { AppError } from '../../domain/errors.js';
import {
  type Candidate,
  type CandidateAccount,
  type OrderFacts,
  type Resolution,
  resolveLabAccount,
} from '../../domain/lab-account-resolution.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { type LabAccountRecord, toClientFacing } from '../lab-accounts/lab-accounts.repository.js';
import type { ClientFacingLabAccount } from '../lab-accounts/lab-accounts.schemas.js';
import { accountsForLab, findTeamVisibleAccount, type TeamCellAccounts } from '../lab-accounts/team-visibility.js';
import type { CreateOrderRequest } from './orders.schemas.js';

export interface ResolvedAccount {
  account: ClientFacingLabAccount;
  resolution: Resolution;
  candidates: Candidate[];
}

const asCandidate = (a: LabAccountRecord): CandidateAccount => ({
  id: a.id,
  org_id: a.org_id,
  lab: a.lab,
  status: a.status,
  delegated_flow: a.delegated_flow,
  account_name: a.account_name,
  allowed_billing: a.allowed_billing,
});

/** The account for an order of `lab`, or the resolution's error with its candidates. */
export function resolveOrderAccount(
  principal: TeamPrincipal,
  body: CreateOrderRequest,
  cell: TeamCellAccounts,
  lab: string,
): ResolvedAccount {
  const top = body.lab_account_id ?? null;
  const inSet = body.order_set?.lab_account_id ?? null;
  if (top && inSet && top !== inSet) {
    throw new AppError('lab_account_conflict', 'order_set.lab_account_id and lab_account_id name different lab accounts');
  }
  const explicitId = top ?? inSet;
  const facts: OrderFacts = {
    lab,
    billingType: body.billing_type ?? 'client_bill',
    state: body.patient_address.state.toUpperCase(),
    region: principal.region,
    hasPhysician: Boolean(body.physician),
  };
  if (explicitId) {
    const visible = findTeamVisibleAccount(cell, principal, explicitId);
    if (!visible) throw new AppError('lab_account_not_found', 'Lab account not found');
    return settle(resolveLabAccount({ explicit: asCandidate(visible), linked: [], platform: null, facts }), [visible]);
  }
  const { linked, platform } = accountsForLab(cell, principal, lab);
  const outcome = resolveLabAccount({
    explicit: null,
    linked: linked.map(asCandidate),
    platform: platform ? asCandidate(platform) : null,
    facts,
  });
  return settle(outcome, [...linked, ...(platform ? [platform] : [])]);
}

/** The chosen account, or the resolution's error with its candidates (SPEC.md §3). */
function settle(outcome: ReturnType<typeof resolveLabAccount>, accounts: readonly LabAccountRecord[]): ResolvedAccount {
  if (!outcome.ok) {
    throw new AppError(
      outcome.code,
      outcome.message,
      outcome.candidates && outcome.candidates.length > 0 ? { candidates: outcome.candidates } : {},
    );
  }
  const chosen = accounts.find((a) => a.id === outcome.account.id)!;
  return { account: toClientFacing(chosen), resolution: outcome.resolution, candidates: outcome.candidates };
}
