// Renders an unmatched-results row as Junction's UnmatchedResult (plus Labroute's quoted_order_id and
// provider_account_id), with the actions still open to the reviewer.
import { labBySlug } from '../../domain/labs-catalogue.js';
import type { UnmatchedResult } from './results.schemas.js';

export interface UnmatchedRowLike {
  id: string;
  lab: string;
  status: string;
  decision_code: string;
  sub_reason_codes: string[];
  reason: string;
  quoted_order_id: string | null;
  visible_team_id: string | null;
  resolution_action: string | null;
  resolved_user_id: string | null;
  resolved_order_id: string | null;
  note: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  result_status: 'final' | 'partial';
  interpretation: string | null;
  results: Record<string, unknown>[];
  provider_account_id: string;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

/**
 * `forOperator` shows everything; a team sees the quoted order's id only when the item is visible to it as that
 * order's team (same org). Items shown through the account's linked teams may quote another org's order.
 */
export function toUnmatchedResult(row: UnmatchedRowLike, forOperator = false): UnmatchedResult {
  const lab = labBySlug(row.lab);
  const resolved = row.status === 'resolved';
  return {
    id: row.id,
    status: row.status as UnmatchedResult['status'],
    decision_code: row.decision_code as UnmatchedResult['decision_code'],
    sub_reason_codes: row.sub_reason_codes as 'lab_account_mismatch'[],
    reason: row.reason,
    patient: null,
    lab: { id: lab.id, name: lab.name, slug: lab.slug },
    markers: row.results.map((r) => ({ provider_id: (r.provider_id as string | null) ?? null, name: (r.name as string | null) ?? null })),
    interpretation: (row.interpretation as UnmatchedResult['interpretation']) ?? null,
    result_status: row.result_status,
    note: row.note,
    resolution_action: (row.resolution_action as UnmatchedResult['resolution_action']) ?? null,
    resolved_user_id: row.resolved_user_id,
    resolved_order_id: row.resolved_order_id,
    allowed_actions: resolved ? [] : ['accept', 'reject', 'unsure'],
    candidate_groups: [],
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    reviewed_at: row.resolution_action ? iso(row.updated_at) : null,
    quoted_order_id: forOperator || row.visible_team_id !== null ? row.quoted_order_id : null,
    provider_account_id: row.provider_account_id,
  };
}
