// Team use case: Junction's Get Lab Test For Team, one test of the team's cell, optionally checked against
// the lab of a lab account the team may use (`GET /v3/lab_tests/{lab_test_id}`).
import type { DB } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from '../lab-accounts/lab-account-cache.js';
import { usableAccountLab } from './lab-test-filter.js';
import { findLabTests, toClientFacingLabTest } from './lab-tests.repository.js';
import type { ClientFacingLabTest } from './lab-tests.schemas.js';

export interface GetLabTestOptions {
  /** Root handle (reads only). */
  db: DB;
  /** The app's lab-account cache, which tells which accounts the team may use. */
  labAccountCache: LabAccountCache;
  /** The calling team; tests of other cells are 404. */
  principal: TeamPrincipal;
  /** The test's id. */
  labTestId: string;
  /** A lab account the team may use (else 404 lab_account_not_found); a test of another lab is then 404. */
  labAccountId?: string;
}

/** The test, or 404 lab_test_not_found. */
export async function getLabTest(options: GetLabTestOptions): Promise<ClientFacingLabTest> {
  const { db, principal } = options;
  const [row] = await findLabTests(db, principal, { ids: [options.labTestId] });
  if (options.labAccountId) {
    const lab = await usableAccountLab(options.labAccountCache, principal, options.labAccountId);
    if (row && row.lab !== lab) throw new AppError('lab_test_not_found', 'Lab test not found for this lab account');
  }
  if (!row) throw new AppError('lab_test_not_found', 'Lab test not found');
  return toClientFacingLabTest(row);
}
