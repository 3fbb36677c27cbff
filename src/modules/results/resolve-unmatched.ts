// A team's decision on an unmatched result it may see: `reject` closes it, `unsure` hands it to the
// operator's review (pending_ops_review). Resolved items cannot be resolved again.
import type { DB } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type TeamPrincipal } from '../auth/principal.js';
import { findUnmatchedForTeam, resolveUnmatched } from './results.repository.js';
import type { UnmatchedResult } from './results.schemas.js';
import { toUnmatchedResult } from './unmatched-view.js';

export async function resolveUnmatchedResult(options: {
  db: DB;
  principal: TeamPrincipal;
  id: string;
  action: 'reject' | 'unsure';
  note: string | null;
}): Promise<UnmatchedResult> {
  const { principal: p } = options;
  const scope = { teamId: p.teamId, env: p.env, region: p.region };
  return options.db.transaction().execute(async (tx) => {
    const row = await findUnmatchedForTeam(tx, scope, options.id);
    if (!row) throw new AppError('unmatched_result_not_found', 'Unmatched result not found');
    if (row.status === 'resolved') throw new AppError('bad_request', 'This unmatched result is already resolved', { status: row.status });
    const status = options.action === 'reject' ? 'resolved' : 'pending_ops_review';
    await resolveUnmatched(tx, row.id, { status, resolutionAction: options.action, note: options.note });
    await recordAudit(tx, {
      orgId: p.orgId,
      subjectType: 'result',
      subjectId: row.id,
      actor: actorOf(p),
      action: `unmatched_result.${options.action}`,
      before: { status: row.status },
      after: { status, note: options.note },
    });
    const updated = await findUnmatchedForTeam(tx, scope, row.id);
    return toUnmatchedResult(updated!);
  });
}
