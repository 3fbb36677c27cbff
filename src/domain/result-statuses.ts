// Which order status a result delivery produces, per collection method (reference §5 status lists): a
// partial report moves walk-in, phlebotomy and on-site orders to `sample_with_lab.<method>.partial_results`
// (testkit has no partial status, so a partial only attaches); a final report completes the order; a second
// final report for a completed order is `completed.<method>.corrected`.
import type { CollectionMethod } from './enums.js';

export interface StatusChange {
  top: 'sample_with_lab' | 'completed';
  low: 'partial_results' | 'completed' | 'corrected';
}

export function statusForDelivery(method: CollectionMethod, status: 'final' | 'partial', corrected: boolean): StatusChange | null {
  if (corrected) return { top: 'completed', low: 'corrected' };
  if (status === 'final') return { top: 'completed', low: 'completed' };
  return method === 'testkit' ? null : { top: 'sample_with_lab', low: 'partial_results' };
}

/** `top.method.low`, the OrderStatus spelling of events. */
export function fullStatus(top: string, method: string, low: string): string {
  return `${top}.${method}.${low}`;
}
