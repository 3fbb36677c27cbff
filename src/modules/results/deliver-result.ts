// A lab's result delivery (operator API): reconciled to the order only under the order's own lab account,
// otherwise queued for review. The same report_id again is a no-op that answers the same.
import { randomUUID } from 'node:crypto';
import type { DB, Queryable } from '../../db/database.js';
import type { Cell, CollectionMethod } from '../../domain/enums.js';
import { reconcileDelivery } from '../../domain/result-reconciliation.js';
import { statusForDelivery } from '../../domain/result-statuses.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { OrderEvents } from '../orders/order-events.js';
import { normalizeResults, worstInterpretation } from './normalize-results.js';
import {
  applyResultStatus,
  findAccountByNumber,
  findDeliveryByReport,
  findQuotedOrder,
  insertDelivery,
  insertUnmatched,
  lockOrder,
} from './results.repository.js';
import type { ResultDeliveryBody } from './results.schemas.js';

export interface DeliveryOutcome {
  matched_order_id: string | null;
  unmatched_result_id: string | null;
}

export async function deliverResult(options: {
  db: DB;
  orderEvents: OrderEvents;
  principal: Principal | null;
  delivery: ResultDeliveryBody;
}): Promise<DeliveryOutcome> {
  const { db, delivery } = options;
  const cell: Cell = { env: delivery.env, region: delivery.region };
  return db.transaction().execute(async (tx) => {
    if (delivery.report_id) {
      const previous = await findDeliveryByReport(tx, {
        env: delivery.env,
        region: delivery.region,
        lab: delivery.lab,
        providerAccountId: delivery.provider_account_id,
        reportId: delivery.report_id,
      });
      if (previous) {
        return {
          matched_order_id: previous.outcome === 'unmatched' ? null : previous.order_id,
          unmatched_result_id: previous.unmatched_result_id,
        };
      }
    }
    const account = await findAccountByNumber(tx, cell, delivery.lab, delivery.provider_account_id);
    const quoted = await findQuotedOrder(tx, cell, { orderId: delivery.order_id, sampleId: delivery.sample_id });
    // Lock the quoted order so a concurrent cancellation and this delivery serialize.
    const order = quoted ? await lockOrder(tx, quoted.id) : undefined;
    const results = normalizeResults(delivery.results);
    const interpretation = delivery.interpretation ?? worstInterpretation(results);
    const decision = reconcileDelivery({
      lab: delivery.lab,
      status: delivery.status,
      account: account ? { id: account.id, orgId: account.org_id } : null,
      order: order
        ? {
            id: order.id,
            orgId: order.org_id,
            teamId: order.team_id,
            lab: order.lab,
            labAccountId: order.lab_account_id,
            statusTop: order.status_top,
          }
        : null,
    });
    const deliveryId = randomUUID();
    const base = {
      id: deliveryId,
      env: delivery.env,
      region: delivery.region,
      lab: delivery.lab,
      providerAccountId: delivery.provider_account_id,
      reportId: delivery.report_id ?? null,
      labAccountId: account?.id ?? null,
      quotedOrderId: delivery.order_id ?? null,
      quotedSampleId: delivery.sample_id ?? null,
      status: delivery.status,
      interpretation,
      results,
    };
    if (decision.outcome === 'attach' && order) {
      await insertDelivery(tx, {
        ...base,
        orderId: order.id,
        unmatchedResultId: null,
        outcome: decision.corrected ? 'corrected' : 'matched',
      });
      const change = statusForDelivery(order.collection_method as CollectionMethod, delivery.status, decision.corrected);
      await applyResultStatus(tx, order, change, interpretation);
      await recordAudit(tx, {
        orgId: order.org_id,
        subjectType: 'order',
        subjectId: order.id,
        actor: actorOf(options.principal),
        action: decision.corrected ? 'result.corrected' : `result.${delivery.status}`,
        before: null,
        after: { delivery_id: deliveryId, report_id: delivery.report_id ?? null, provider_account_id: delivery.provider_account_id },
      });
      await announceResult(tx, options.orderEvents, order.id, change?.low ?? null, interpretation);
      return { matched_order_id: order.id, unmatched_result_id: null };
    }
    if (decision.outcome !== 'queue') throw new Error('unreachable');
    const unmatchedId = randomUUID();
    await insertDelivery(tx, { ...base, orderId: null, unmatchedResultId: unmatchedId, outcome: 'unmatched' });
    const reviewable = decision.visibleTeamId !== null || decision.visibleLabAccountId !== null;
    await insertUnmatched(tx, {
      id: unmatchedId,
      deliveryId,
      env: delivery.env,
      region: delivery.region,
      lab: delivery.lab,
      status: reviewable ? 'pending_customer_review' : 'pending_ops_review',
      decisionCode: decision.decisionCode,
      subReasonCodes: decision.subReasonCodes,
      reason: decision.reason,
      visibleTeamId: decision.visibleTeamId,
      visibleLabAccountId: decision.visibleLabAccountId,
      quotedOrderId: order?.id ?? null,
    });
    await recordAudit(tx, {
      orgId: account?.org_id ?? null,
      subjectType: 'result',
      subjectId: unmatchedId,
      actor: actorOf(options.principal),
      action: 'result.queued',
      before: null,
      after: { decision_code: decision.decisionCode, sub_reason_codes: decision.subReasonCodes },
    });
    return { matched_order_id: null, unmatched_result_id: unmatchedId };
  });
}

/** Announces a result attached to an order: the status change, and labtest.result.critical when critical. */
export async function announceResult(
  tx: Queryable,
  orderEvents: OrderEvents,
  orderId: string,
  low: string | null,
  interpretation: string | null,
): Promise<void> {
  if (low) await orderEvents.publish(tx, { eventType: 'labtest.order.updated', orderId, partial: low === 'partial_results' });
  if (interpretation === 'critical') await orderEvents.publish(tx, { eventType: 'labtest.result.critical', orderId });
}
