// Sandbox simulation (POST /v3/order/{id}/test): walks an order through its collection method's lifecycle to
// `final_status` and produces results through the same intake path a lab uses, under the order's own lab
// account. With `delay`, the steps are stored with due times and run by the worker, so a restart does not
// lose the walk.
import type { Config } from '../../config.js';
import type { DB } from '../../db/database.js';
import type { CollectionMethod } from '../../domain/enums.js';
import { AppError } from '../../domain/errors.js';
import { parseStatus, simulationPath, statusString } from '../../domain/order-status.js';
import type { Principal, TeamPrincipal } from '../auth/principal.js';
import { appendOrderEvent } from '../orders/append-order-event.js';
import type { OrderEvents } from '../orders/order-events.js';
import { findOrder, findOrderById } from '../orders/orders.repository.js';
import { deliverResult } from './deliver-result.js';
import {
  accountNumberOf,
  dueScheduledOrderIds,
  hasEarlierPendingStep,
  insertSimulationSteps,
  lockDueSimulationStep,
  markMissingResults,
  markSimulationStepDone,
} from './results.repository.js';
import type { BiomarkerResultInput } from './results.schemas.js';

export interface SimulationFlags {
  interpretation?: 'normal' | 'abnormal' | 'critical' | 'unknown';
  result_types?: ('numeric' | 'range' | 'comment' | 'coded_value')[] | null;
  has_missing_results?: boolean | null;
}

type Step = { kind: 'event'; low: string } | { kind: 'result'; status: 'partial' | 'final'; flags: SimulationFlags };

/** Fake values per marker, cycling numeric / comment / range (or the requested types), as Junction's sandbox does. */
export function simulatedResults(
  markers: { name: string; slug: string; unit: string | null; provider_id: string | null }[],
  flags: SimulationFlags,
): BiomarkerResultInput[] {
  const types = flags.result_types?.length ? flags.result_types : (['numeric', 'comment', 'range'] as const);
  const interpretation = flags.interpretation === 'abnormal' || flags.interpretation === 'critical' ? flags.interpretation : 'normal';
  const kept = flags.has_missing_results && markers.length > 1 ? markers.slice(0, -1) : markers;
  return kept.map((marker, i) => {
    const type = types[i % types.length];
    const base = {
      name: marker.name,
      slug: marker.slug,
      unit: marker.unit,
      provider_id: marker.provider_id,
      timestamp: new Date().toISOString(),
    };
    switch (type) {
      case 'numeric': {
        const value = interpretation === 'critical' ? 480 : interpretation === 'abnormal' ? 135 : 55 + (i % 5) * 7;
        return { ...base, type, result: String(value), reference_range: '10-100', interpretation };
      }
      case 'range':
        return { ...base, type, result: interpretation === 'normal' ? '<5' : '>200', reference_range: '<10', interpretation };
      case 'coded_value':
        return { ...base, type, result: interpretation === 'normal' ? 'NEGATIVE' : 'POSITIVE', interpretation };
      default:
        return {
          ...base,
          type: 'comment' as const,
          result: interpretation === 'normal' ? 'Within normal limits' : 'See physician note',
          interpretation,
        };
    }
  });
}

/** The steps from the order's current status to `finalLow`: lifecycle events, with result deliveries where results come. */
function planSteps(method: CollectionMethod, from: string, finalLow: string, flags: SimulationFlags): Step[] | null {
  const path = simulationPath(method, from, finalLow);
  if (!path) return null;
  return path.map((low): Step => {
    if (low === 'partial_results') return { kind: 'result', status: 'partial', flags };
    if (low === 'completed' || low === 'corrected') return { kind: 'result', status: 'final', flags };
    return { kind: 'event', low };
  });
}

async function runStep(options: {
  db: DB;
  orderEvents: OrderEvents;
  orderId: string;
  step: Step;
  principal: Principal | null;
}): Promise<void> {
  const { db, step } = options;
  if (step.kind === 'event') {
    await db.transaction().execute(async (tx) => {
      const order = await findOrderById(tx, options.orderId, true);
      if (!order) return;
      await appendOrderEvent(tx, order, step.low, null, options.principal, options.orderEvents);
    });
    return;
  }
  const order = await findOrderById(db, options.orderId);
  if (!order) return;
  const providerAccountId = await accountNumberOf(db, order.lab_account_id);
  const markers =
    (order.lab_test.markers as { name: string; slug: string; unit: string | null; provider_id: string | null }[] | null) ?? [];
  const results = simulatedResults(
    markers.length ? markers : [{ name: String(order.lab_test.name ?? 'Result'), slug: 'result', unit: null, provider_id: null }],
    step.flags,
  );
  await deliverResult({
    db,
    orderEvents: options.orderEvents,
    principal: options.principal,
    delivery: {
      env: order.env as 'sandbox',
      region: order.region as 'us',
      lab: order.lab as 'quest',
      provider_account_id: providerAccountId,
      order_id: order.id,
      sample_id: order.sample_id,
      status: step.status,
      interpretation:
        step.flags.interpretation === 'abnormal' || step.flags.interpretation === 'critical' ? step.flags.interpretation : null,
      results,
    },
  });
  if (step.flags.has_missing_results && step.status === 'final') {
    await markMissingResults(db, order.id);
  }
}

/**
 * Starts (or, with delay 0, runs) the simulation of a team's sandbox order. Production orders are 400
 * sandbox_only; a final status the order cannot reach is 400 invalid_status_transition.
 */
export async function simulateOrder(options: {
  db: DB;
  orderEvents: OrderEvents;
  principal: TeamPrincipal;
  orderId: string;
  finalStatus?: string;
  delaySeconds?: number;
  flags: SimulationFlags;
  config: Config;
}): Promise<{ order_id: string; steps: string[]; scheduled: boolean }> {
  const { db, principal } = options;
  const order = await findOrder(db, { teamId: principal.teamId, env: principal.env }, options.orderId);
  if (!order) throw new AppError('order_not_found', 'Order not found');
  if (principal.env !== 'sandbox') throw new AppError('sandbox_only', 'Order simulation is only available in sandbox');
  const method = order.collection_method as CollectionMethod;
  let finalLow = 'completed';
  if (options.finalStatus) {
    const parsed = parseStatus(options.finalStatus);
    if (!parsed || parsed.method !== method) {
      throw new AppError('invalid_status_transition', `${options.finalStatus} is not a status of ${method} orders`, {
        status: statusString(method, order.status_low),
      });
    }
    finalLow = parsed.low;
  }
  const steps = planSteps(method, order.status_low, finalLow, options.flags);
  if (!steps) {
    throw new AppError(
      'invalid_status_transition',
      `The order cannot reach ${statusString(method, finalLow)} from ${statusString(method, order.status_low)}`,
      {
        status: statusString(method, order.status_low),
      },
    );
  }
  const names = simulationPath(method, order.status_low, finalLow)!.map((low) => statusString(method, low));
  const delay = options.delaySeconds ?? 0;
  if (delay <= 0) {
    for (const step of steps) await runStep({ db, orderEvents: options.orderEvents, orderId: order.id, step, principal });
    return { order_id: order.id, steps: names, scheduled: false };
  }
  const now = Date.now();
  await insertSimulationSteps(
    db,
    order.id,
    steps.map((step, i) => ({ action: step, dueAt: new Date(now + (i + 1) * delay * 1000) })),
  );
  return { order_id: order.id, steps: names, scheduled: true };
}

/** Runs due simulation steps (claimed with SKIP LOCKED, so several instances never run one twice). */
export async function runDueSimulationSteps(options: { db: DB; orderEvents: OrderEvents; limit?: number }): Promise<number> {
  const { db, orderEvents, limit = 20 } = options;
  let done = 0;
  for (let i = 0; i < limit; i++) {
    const ran = await db.transaction().execute(async (tx) => {
      const step = await lockDueSimulationStep(tx);
      if (!step) return false;
      // An earlier step of the same order still pending (not yet due or locked elsewhere) goes first.
      if (await hasEarlierPendingStep(tx, step)) return false;
      await markSimulationStepDone(tx, step.id);
      return step;
    });
    if (!ran) break;
    await runStep({ db, orderEvents, orderId: ran.order_id, step: ran.action as unknown as Step, principal: null });
    done += 1;
  }
  return done;
}

/** Production orders scheduled with activate_by get their requisition on that day. */
export async function activateScheduledOrders(options: { db: DB; orderEvents: OrderEvents }): Promise<number> {
  const { db, orderEvents } = options;
  const due = await dueScheduledOrderIds(db, 100);
  for (const id of due) {
    await db.transaction().execute(async (tx) => {
      const order = await findOrderById(tx, id, true);
      if (order && order.status_low === 'ordered') await appendOrderEvent(tx, order, 'requisition_created', null, null, orderEvents);
    });
  }
  return due.length;
}
