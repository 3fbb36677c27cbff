// Decides what happens to a lab's result delivery (SPEC.md §1 "Result", §4 "Unmatched results"): it is
// attached only to an order placed under the same lab account (same cell, lab and provider_account_id) that
// it quotes by id or sample_id; everything else is queued for review, never attached silently.

/** The lab account whose number the delivery came under, if Labroute knows that number. */
export interface DeliveryAccount {
  id: string;
  orgId: string | null;
}

/** The order the delivery quotes (by order_id or sample_id, in the delivery's cell), if it exists. */
export interface QuotedOrder {
  id: string;
  orgId: string;
  teamId: string;
  lab: string;
  labAccountId: string;
  statusTop: string;
}

export type MatchDecisionCode = 'match_sample_id' | 'match_completed' | 'match_cancelled' | 'wrong_lab' | 'no_match';

export type Reconciliation =
  | { outcome: 'attach'; orderId: string; corrected: boolean }
  | {
      outcome: 'queue';
      decisionCode: MatchDecisionCode;
      subReasonCodes: 'lab_account_mismatch'[];
      reason: string;
      /** The single team that may review it (the quoted order's team, same org as the account). */
      visibleTeamId: string | null;
      /** Else the teams linked to this account may review it; both null → operator only. */
      visibleLabAccountId: string | null;
    };

/** Decides attach-or-queue for one delivery. Pure: the caller loads the account and quoted order. */
export function reconcileDelivery(input: {
  lab: string;
  status: 'final' | 'partial';
  account: DeliveryAccount | null;
  order: QuotedOrder | null;
}): Reconciliation {
  const { account, order } = input;
  const visibility = (): { visibleTeamId: string | null; visibleLabAccountId: string | null } => {
    if (order && account && account.orgId !== null && order.orgId === account.orgId)
      return { visibleTeamId: order.teamId, visibleLabAccountId: null };
    if (account && account.orgId !== null) return { visibleTeamId: null, visibleLabAccountId: account.id };
    return { visibleTeamId: null, visibleLabAccountId: null };
  };
  if (!order) {
    return {
      outcome: 'queue',
      decisionCode: 'no_match',
      subReasonCodes: [],
      reason: 'No order matches the quoted order id or sample id',
      ...visibility(),
    };
  }
  if (order.lab !== input.lab) {
    return {
      outcome: 'queue',
      decisionCode: 'wrong_lab',
      subReasonCodes: [],
      reason: `The quoted order was placed with another lab (${order.lab})`,
      ...visibility(),
    };
  }
  if (!account || account.id !== order.labAccountId) {
    return {
      outcome: 'queue',
      decisionCode: 'match_sample_id',
      subReasonCodes: ['lab_account_mismatch'],
      reason: 'The result came under a lab account number other than the one the order was placed with',
      ...visibility(),
    };
  }
  if (order.statusTop === 'cancelled' || order.statusTop === 'failed') {
    return {
      outcome: 'queue',
      decisionCode: 'match_cancelled',
      subReasonCodes: [],
      reason: `The quoted order is ${order.statusTop}`,
      ...visibility(),
    };
  }
  if (order.statusTop === 'completed') {
    if (input.status === 'final') return { outcome: 'attach', orderId: order.id, corrected: true };
    return {
      outcome: 'queue',
      decisionCode: 'match_completed',
      subReasonCodes: [],
      reason: 'A partial result arrived for a completed order',
      ...visibility(),
    };
  }
  return { outcome: 'attach', orderId: order.id, corrected: false };
}
