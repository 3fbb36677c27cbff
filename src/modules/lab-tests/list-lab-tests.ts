// Team use case: Junction's Get Lab Tests For Team, the whole matching catalogue of the team's cell (`GET /v3/lab_tests`).
import type { DB } from '../../db/database.js';
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from '../lab-accounts/lab-account-cache.js';
import { type LabTestCriteria, labTestFilter } from './lab-test-filter.js';
import { findLabTests, toClientFacingLabTest } from './lab-tests.repository.js';
import type { ClientFacingLabTest } from './lab-tests.schemas.js';

export interface ListLabTestsOptions {
  /** Root handle (reads only). */
  db: DB;
  /** The app's lab-account cache, which tells which accounts the team may use. */
  labAccountCache: LabAccountCache;
  /** The calling team; its key's cell is the catalogue read. */
  principal: TeamPrincipal;
  /** What the team asks for. */
  criteria: LabTestCriteria;
}

/** Every matching test, in the requested order (creation order by default). */
export async function listLabTests(options: ListLabTestsOptions): Promise<ClientFacingLabTest[]> {
  const filter = await labTestFilter(options.labAccountCache, options.principal, options.criteria);
  if (!filter) return [];
  return (await findLabTests(options.db, options.principal, filter)).map(toClientFacingLabTest);
}
