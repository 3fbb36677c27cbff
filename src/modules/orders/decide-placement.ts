// What placing an order decides, from the context its transaction read under lock: the patient must be the
// team's, the tests pick the lab and method, resolution picks the lab account (SPEC.md §3), and the patient
// rules hold (minors, insurance). Shared by placement and its dry run, so both give the same answer.
import type { Tx } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { insuranceRule, minorRule } from '../../domain/order-rules.js';
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from '../lab-accounts/lab-account-cache.js';
import { cellMatches, type TeamCellAccounts, teamCellFromDb } from '../lab-accounts/team-visibility.js';
import { newOrderRows } from './new-order.js';
import { type ResolvedAccount, resolveOrderAccount } from './order-lab-account.js';
import { orderedTestIds, selectTests } from './order-test-selection.js';
import type { CreateOrderRequest } from './orders.schemas.js';
import type { ContextRequest, OrderContext } from './placement.repository.js';

export interface PlacementRequest {
  principal: TeamPrincipal;
  body: CreateOrderRequest;
  labAccountCache: LabAccountCache;
  /** The team's cell as the cache had it when the request arrived. */
  cachedCell: TeamCellAccounts;
  /** "Today" (YYYY-MM-DD) for minors and scheduled orders. */
  today: string;
}

/** What placement decided, with the order it will insert. */
export type DecidedPlacement = ReturnType<typeof newOrderRows> & {
  resolved: ResolvedAccount;
  clientUserId: string | null;
  hasWebhookEndpoints: boolean;
};

/** What the placement's transaction must read before it decides. */
export function contextRequestOf({ principal, body }: Pick<PlacementRequest, 'principal' | 'body'>): ContextRequest {
  return { principal, userId: body.user_id, testIds: orderedTestIds(body) };
}

/** Decides the placement from its context; throws the domain error that rejects it. */
export async function decidePlacement(tx: Tx, request: PlacementRequest, context: OrderContext): Promise<DecidedPlacement> {
  const { principal, body, today } = request;
  if (!context.user) throw new AppError('user_not_found', 'User not found');
  const selection = await selectTests(tx, principal, body, context.tests);
  const resolved = resolveOrderAccount(principal, body, await lockedCell(tx, request, context), selection.lab);
  assertPatientRules(body, today, context.settings);
  return {
    ...newOrderRows({ principal, body, selection, resolved, userId: context.user.id, today }),
    resolved,
    clientUserId: context.user.clientUserId,
    hasWebhookEndpoints: context.hasWebhookEndpoints,
  };
}

/**
 * The team's cell as locked FOR SHARE by the context read: the cached cell when it matches the locked rows,
 * else the rows themselves. Either way a concurrent PATCH (FOR UPDATE) has committed before — and is seen —
 * or waits for this transaction.
 */
async function lockedCell(tx: Tx, request: PlacementRequest, context: OrderContext): Promise<TeamCellAccounts> {
  if (cellMatches(request.cachedCell, context.accountVersions)) return request.cachedCell;
  // The cache is behind a committed change (another instance's, not yet notified).
  request.labAccountCache.invalidate(request.principal.orgId);
  request.labAccountCache.invalidate(null);
  return teamCellFromDb(tx, request.principal);
}

/** Rules checked after the account: minors and insurance (SPEC.md §3 "Other order rules"). */
function assertPatientRules(body: CreateOrderRequest, today: string, settings: { minor_ordering_enabled?: boolean | null } | null): void {
  const minor = minorRule({
    dob: body.patient_details.dob,
    today,
    minorOrderingEnabled: Boolean(settings?.minor_ordering_enabled),
    hasMedicalProxy: Boolean(body.patient_details.medical_proxy),
  });
  if (minor) throw new AppError(minor.code, minor.message);
  const insurance = insuranceRule(body.billing_type ?? 'client_bill', body.icd_codes);
  if (insurance) throw new AppError(insurance.code, insurance.message);
}
