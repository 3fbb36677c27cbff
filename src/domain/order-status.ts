// The order lifecycle per collection method (reference §5 status lists, §6.2 transition graphs, §6.3
// cancellation rules). Statuses are `top.method.low`; the low-level part determines the top-level part.
import type { CollectionMethod } from './enums.js';

export const ORDER_TOP_LEVEL_STATUSES = ['received', 'collecting_sample', 'sample_with_lab', 'completed', 'cancelled', 'failed'] as const;
export type OrderTopLevelStatus = (typeof ORDER_TOP_LEVEL_STATUSES)[number];

export const ORDER_LOW_LEVEL_STATUSES = [
  'ordered',
  'requisition_created',
  'requisition_bypassed',
  'transit_customer',
  'out_for_delivery',
  'with_customer',
  'transit_lab',
  'delivered_to_lab',
  'completed',
  'failure_to_deliver_to_lab',
  'failure_to_deliver_to_customer',
  'problem_in_transit_lab',
  'problem_in_transit_customer',
  'sample_error',
  'appointment_scheduled',
  'appointment_cancelled',
  'appointment_pending',
  'draw_completed',
  'cancelled',
  'lost',
  'do_not_process',
  'partial_results',
  'awaiting_registration',
  'registered',
  'redraw_available',
  'corrected',
  'lab_processing_blocked',
] as const;
export type OrderLowLevelStatus = (typeof ORDER_LOW_LEVEL_STATUSES)[number];

/** Low-level status → top-level status, per method: exactly Junction's OrderStatus list. */
const TOP_OF: Record<CollectionMethod, Partial<Record<OrderLowLevelStatus, OrderTopLevelStatus>>> = {
  walk_in_test: {
    ordered: 'received',
    requisition_created: 'received',
    requisition_bypassed: 'received',
    completed: 'completed',
    corrected: 'completed',
    partial_results: 'sample_with_lab',
    sample_error: 'failed',
    cancelled: 'cancelled',
    appointment_pending: 'collecting_sample',
    appointment_scheduled: 'collecting_sample',
    appointment_cancelled: 'collecting_sample',
    redraw_available: 'collecting_sample',
  },
  at_home_phlebotomy: {
    ordered: 'received',
    requisition_created: 'received',
    requisition_bypassed: 'received',
    appointment_pending: 'collecting_sample',
    appointment_scheduled: 'collecting_sample',
    draw_completed: 'collecting_sample',
    appointment_cancelled: 'collecting_sample',
    completed: 'completed',
    corrected: 'completed',
    partial_results: 'sample_with_lab',
    cancelled: 'cancelled',
    sample_error: 'failed',
  },
  testkit: {
    ordered: 'received',
    awaiting_registration: 'received',
    requisition_created: 'received',
    requisition_bypassed: 'received',
    registered: 'received',
    transit_customer: 'collecting_sample',
    out_for_delivery: 'collecting_sample',
    with_customer: 'collecting_sample',
    transit_lab: 'collecting_sample',
    problem_in_transit_customer: 'collecting_sample',
    problem_in_transit_lab: 'collecting_sample',
    delivered_to_lab: 'sample_with_lab',
    lab_processing_blocked: 'sample_with_lab',
    completed: 'completed',
    corrected: 'completed',
    failure_to_deliver_to_customer: 'failed',
    failure_to_deliver_to_lab: 'failed',
    sample_error: 'failed',
    lost: 'failed',
    cancelled: 'cancelled',
    do_not_process: 'cancelled',
  },
  on_site_collection: {
    ordered: 'received',
    requisition_created: 'received',
    requisition_bypassed: 'received',
    draw_completed: 'sample_with_lab',
    partial_results: 'sample_with_lab',
    completed: 'completed',
    corrected: 'completed',
    cancelled: 'cancelled',
    sample_error: 'failed',
  },
};

/** Every valid OrderStatus string (`top.method.low`). */
export const ORDER_STATUSES: string[] = (Object.keys(TOP_OF) as CollectionMethod[]).flatMap((method) =>
  Object.entries(TOP_OF[method]).map(([low, top]) => `${top}.${method}.${low}`),
);

/** The top-level status of `low` for `method`, or undefined when the method has no such status. */
export function topLevelOf(method: CollectionMethod, low: string): OrderTopLevelStatus | undefined {
  return TOP_OF[method][low as OrderLowLevelStatus];
}

export function statusString(method: CollectionMethod, low: string): string {
  const top = topLevelOf(method, low);
  if (!top) throw new Error(`${method} has no status ${low}`);
  return `${top}.${method}.${low}`;
}

/** Parses `top.method.low`; null when it is not one of Junction's OrderStatus values. */
export function parseStatus(status: string): { top: OrderTopLevelStatus; method: CollectionMethod; low: OrderLowLevelStatus } | null {
  const [top, method, low] = status.split('.');
  if (!method || !low || !(method in TOP_OF)) return null;
  const expected = topLevelOf(method as CollectionMethod, low);
  return expected === top ? { top: expected, method: method as CollectionMethod, low: low as OrderLowLevelStatus } : null;
}

type Graph = Partial<Record<OrderLowLevelStatus, OrderLowLevelStatus[]>>;

const RESULT_STEPS: OrderLowLevelStatus[] = ['partial_results', 'completed'];

/** Legal low-level transitions per method (reference §6.2; the [I]-marked walk-in shortcut included). */
const GRAPH: Record<CollectionMethod, Graph> = {
  walk_in_test: {
    ordered: ['requisition_created', 'requisition_bypassed', 'cancelled'],
    requisition_created: ['appointment_pending', 'cancelled', ...RESULT_STEPS, 'sample_error', 'redraw_available'],
    requisition_bypassed: ['appointment_pending', 'cancelled', ...RESULT_STEPS, 'sample_error', 'redraw_available'],
    appointment_pending: ['appointment_scheduled', 'cancelled'],
    appointment_scheduled: [
      'appointment_pending',
      'appointment_cancelled',
      'cancelled',
      ...RESULT_STEPS,
      'sample_error',
      'redraw_available',
    ],
    appointment_cancelled: ['appointment_pending', 'cancelled'],
    partial_results: ['partial_results', 'completed', 'sample_error', 'redraw_available'],
    completed: ['corrected'],
    corrected: ['corrected'],
  },
  at_home_phlebotomy: {
    ordered: ['requisition_created', 'requisition_bypassed', 'cancelled'],
    requisition_created: ['appointment_pending', 'cancelled'],
    requisition_bypassed: ['appointment_pending', 'cancelled'],
    appointment_pending: ['appointment_scheduled', 'appointment_cancelled', 'cancelled'],
    appointment_scheduled: ['appointment_scheduled', 'appointment_cancelled', 'draw_completed', 'cancelled'],
    appointment_cancelled: ['appointment_pending', 'appointment_scheduled', 'cancelled'],
    draw_completed: [...RESULT_STEPS, 'sample_error', 'cancelled'],
    partial_results: ['partial_results', 'completed', 'sample_error'],
    completed: ['corrected'],
    corrected: ['corrected'],
  },
  testkit: {
    ordered: ['requisition_created', 'requisition_bypassed', 'awaiting_registration', 'cancelled', 'do_not_process'],
    awaiting_registration: ['transit_customer', 'cancelled'],
    requisition_created: ['transit_customer', 'transit_lab', 'cancelled', 'do_not_process'],
    requisition_bypassed: ['transit_customer', 'transit_lab', 'cancelled', 'do_not_process'],
    transit_customer: ['out_for_delivery', 'failure_to_deliver_to_customer', 'problem_in_transit_customer'],
    problem_in_transit_customer: ['out_for_delivery', 'with_customer', 'failure_to_deliver_to_customer', 'lost'],
    out_for_delivery: ['with_customer', 'failure_to_deliver_to_customer'],
    with_customer: ['transit_lab', 'registered'],
    registered: ['requisition_created'],
    transit_lab: ['delivered_to_lab', 'failure_to_deliver_to_lab', 'problem_in_transit_lab'],
    problem_in_transit_lab: ['delivered_to_lab', 'failure_to_deliver_to_lab', 'lost'],
    delivered_to_lab: ['completed', 'sample_error', 'lab_processing_blocked'],
    lab_processing_blocked: ['delivered_to_lab', 'completed', 'sample_error'],
    completed: ['corrected'],
    corrected: ['corrected'],
  },
  on_site_collection: {
    ordered: ['requisition_created', 'requisition_bypassed', 'cancelled'],
    requisition_created: ['draw_completed', 'cancelled'],
    requisition_bypassed: ['draw_completed', 'cancelled'],
    draw_completed: [...RESULT_STEPS, 'sample_error', 'cancelled'],
    partial_results: ['partial_results', 'completed', 'sample_error'],
    completed: ['corrected'],
    corrected: ['corrected'],
  },
};

export function canTransition(method: CollectionMethod, from: string, to: string): boolean {
  return (GRAPH[method][from as OrderLowLevelStatus] ?? []).includes(to as OrderLowLevelStatus);
}

/** Statuses an order may be cancelled from (reference §6.3), per method. */
const CANCELLABLE: Record<CollectionMethod, OrderLowLevelStatus[]> = {
  walk_in_test: [
    'ordered',
    'requisition_created',
    'requisition_bypassed',
    'awaiting_registration',
    'appointment_pending',
    'appointment_scheduled',
    'appointment_cancelled',
  ],
  at_home_phlebotomy: [
    'ordered',
    'requisition_created',
    'requisition_bypassed',
    'awaiting_registration',
    'appointment_pending',
    'appointment_scheduled',
    'appointment_cancelled',
    'draw_completed',
  ],
  testkit: ['ordered', 'awaiting_registration', 'requisition_created', 'requisition_bypassed', 'registered'],
  on_site_collection: ['ordered', 'requisition_created', 'requisition_bypassed', 'draw_completed'],
};

export function isCancellable(method: CollectionMethod, low: string): boolean {
  return CANCELLABLE[method].includes(low as OrderLowLevelStatus);
}

/** In flight = not completed, cancelled or failed (SPEC.md §4 impact preview). */
export function isInFlight(top: string): boolean {
  return top !== 'completed' && top !== 'cancelled' && top !== 'failed';
}

/**
 * The walk a sandbox simulation takes from `from` to the method's completion (or to `finalLow` when given and
 * reachable), shortest path through the graph; null when `finalLow` cannot be reached.
 */
export function simulationPath(method: CollectionMethod, from: string, finalLow: string = 'completed'): OrderLowLevelStatus[] | null {
  const preferred: Record<CollectionMethod, OrderLowLevelStatus[]> = {
    walk_in_test: ['requisition_created', 'appointment_pending', 'appointment_scheduled', 'partial_results', 'completed'],
    at_home_phlebotomy: [
      'requisition_created',
      'appointment_pending',
      'appointment_scheduled',
      'draw_completed',
      'partial_results',
      'completed',
    ],
    testkit: [
      'requisition_created',
      'transit_customer',
      'out_for_delivery',
      'with_customer',
      'transit_lab',
      'delivered_to_lab',
      'completed',
    ],
    on_site_collection: ['requisition_created', 'draw_completed', 'partial_results', 'completed'],
  };
  // The documented happy path when it leads there from here, else the shortest legal route.
  const happy = preferred[method];
  let at = from;
  const walk: OrderLowLevelStatus[] = [];
  for (const next of happy.slice(happy.indexOf(from as OrderLowLevelStatus) + 1)) {
    if (!canTransition(method, at, next)) break;
    walk.push(next);
    at = next;
    if (next === finalLow) return walk;
  }
  const previous = new Map<string, string>();
  const queue: string[] = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current === finalLow && current !== from) break;
    for (const next of GRAPH[method][current as OrderLowLevelStatus] ?? []) {
      if (seen.has(next)) continue;
      if (['cancelled', 'do_not_process'].includes(next) && finalLow !== next) continue;
      seen.add(next);
      previous.set(next, current);
      queue.push(next);
    }
  }
  if (!previous.has(finalLow)) return null;
  const path: OrderLowLevelStatus[] = [];
  for (let step: string | undefined = finalLow; step && step !== from; step = previous.get(step)) path.unshift(step as OrderLowLevelStatus);
  return path;
}
