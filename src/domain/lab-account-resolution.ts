// Which lab account an order goes through (SPEC.md §3): eligibility of one account for an order, and the
// resolution table for an omitted lab_account_id. Pure: callers load the accounts the team may use.
import type { ErrorCode } from './errors.js';

export type EligibilityReason = 'lab_account_lab_mismatch' | 'lab_account_not_active' | 'billing_type_not_allowed' | 'physician_required';

export type Resolution = 'explicit' | 'only_active' | 'only_eligible' | 'platform_default';

export interface CandidateAccount {
  id: string;
  org_id: string | null;
  lab: string;
  status: string;
  delegated_flow: string;
  account_name: string | null;
  allowed_billing: Record<string, string[]>;
}

export interface OrderFacts {
  lab: string;
  /** billing_type, default client_bill. */
  billingType: string;
  /** patient_address.state (two letters). */
  state: string;
  region: 'us' | 'eu';
  hasPhysician: boolean;
}

export interface Candidate {
  lab_account_id: string;
  account_name: string | null;
  eligible: boolean;
  reasons: EligibilityReason[];
}

const DELEGATED = new Set(['order_delegated', 'fully_delegated']);

/**
 * Why `account` cannot take the order, in SPEC.md's check order; [] when it can. EU cells have no US states,
 * so there the billing type's presence alone decides.
 */
export function eligibilityReasons(account: CandidateAccount, facts: OrderFacts): EligibilityReason[] {
  const reasons: EligibilityReason[] = [];
  if (account.lab !== facts.lab) reasons.push('lab_account_lab_mismatch');
  if (account.status !== 'active') reasons.push('lab_account_not_active');
  const states = account.allowed_billing[facts.billingType];
  const billingOk = states !== undefined && (facts.region === 'eu' || states.includes(facts.state.toUpperCase()));
  if (!billingOk) reasons.push('billing_type_not_allowed');
  if (DELEGATED.has(account.delegated_flow) && !facts.hasPhysician) reasons.push('physician_required');
  return reasons;
}

export function toCandidate(account: CandidateAccount, facts: OrderFacts): Candidate {
  const reasons = eligibilityReasons(account, facts);
  return { lab_account_id: account.id, account_name: account.account_name, eligible: reasons.length === 0, reasons };
}

export type ResolveOutcome =
  | { ok: true; account: CandidateAccount; resolution: Resolution; candidates: Candidate[] }
  | { ok: false; code: ErrorCode; message: string; candidates: Candidate[] | null };

const MESSAGES: Record<EligibilityReason, (a: CandidateAccount, f: OrderFacts) => string> = {
  lab_account_lab_mismatch: (a, f) => `Lab account ${a.id} is for ${a.lab}, but the order's tests are from ${f.lab}`,
  lab_account_not_active: (a) => `Lab account ${a.id} is ${a.status}; only active accounts take new orders`,
  billing_type_not_allowed: (a, f) =>
    `Lab account ${a.id} does not allow billing type ${f.billingType}${f.region === 'us' ? ` for patients in ${f.state}` : ''}`,
  physician_required: (a) => `Lab account ${a.id} is ${a.delegated_flow}: the order needs a physician`,
};

function failFirst(account: CandidateAccount, facts: OrderFacts, candidates: Candidate[]): ResolveOutcome {
  const [reason] = eligibilityReasons(account, facts);
  return { ok: false, code: reason, message: MESSAGES[reason](account, facts), candidates };
}

/**
 * SPEC.md §3's table. `explicit` is an account the team may use (the caller answers 404 for any other id);
 * `linked` are the team's linked accounts of the order's lab (any status); `platform` the cell's platform
 * account of that lab, if any (used only when nothing of that lab is linked).
 */
export function resolveLabAccount(input: {
  explicit: CandidateAccount | null;
  linked: CandidateAccount[];
  platform: CandidateAccount | null;
  facts: OrderFacts;
}): ResolveOutcome {
  const { facts } = input;
  if (input.explicit) {
    const candidates = [toCandidate(input.explicit, facts)];
    if (!candidates[0].eligible) return failFirst(input.explicit, facts, candidates);
    return { ok: true, account: input.explicit, resolution: 'explicit', candidates };
  }
  if (input.linked.length === 0) {
    if (!input.platform) {
      return {
        ok: false,
        code: 'no_lab_account_available',
        message: `No lab account for ${facts.lab} is available to this team`,
        candidates: [],
      };
    }
    const candidates = [toCandidate(input.platform, facts)];
    if (!candidates[0].eligible) return failFirst(input.platform, facts, candidates);
    return { ok: true, account: input.platform, resolution: 'platform_default', candidates };
  }
  const candidates = input.linked.map((account) => toCandidate(account, facts));
  const active = input.linked.filter((account) => account.status === 'active');
  if (active.length === 0) {
    return { ok: false, code: 'no_active_lab_account', message: `None of the team's lab accounts for ${facts.lab} is active`, candidates };
  }
  if (active.length === 1) {
    const [only] = active;
    if (eligibilityReasons(only, facts).length > 0) return failFirst(only, facts, candidates);
    return { ok: true, account: only, resolution: 'only_active', candidates };
  }
  const eligible = active.filter((account) => eligibilityReasons(account, facts).length === 0);
  if (eligible.length === 1) return { ok: true, account: eligible[0], resolution: 'only_eligible', candidates };
  if (eligible.length === 0) {
    return {
      ok: false,
      code: 'no_eligible_lab_account',
      message: `None of the team's active lab accounts for ${facts.lab} can take this order`,
      candidates,
    };
  }
  return {
    ok: false,
    code: 'lab_account_ambiguous',
    message: `Several lab accounts for ${facts.lab} can take this order: pass lab_account_id`,
    candidates,
  };
}
