// What a team asks of its cell's catalogue, turned into the repository's filter: the lab of a named lab account
// (which the team must be able to use), the collection method, status, name, markers and order.
import { AppError } from '../../domain/errors.js';
import type { TeamPrincipal } from '../auth/principal.js';
import type { LabAccountCache } from '../lab-accounts/lab-account-cache.js';
import { cachedTeamCell, findTeamVisibleAccount } from '../lab-accounts/team-visibility.js';
import type { LabTestFilter } from './lab-tests.repository.js';

/** The catalogue criteria of Junction's lab-test lists (their query parameters). */
export interface LabTestCriteria {
  /** Only the lab of this account; 404 lab_account_not_found unless the team may use it. */
  labAccountId?: string;
  /** Every catalogue test is operator-curated (`manual`): `auto` finds none. */
  generationMethod?: 'auto' | 'manual' | 'all';
  /** Only this lab's tests. */
  lab?: string;
  /** Only tests collected this way. */
  collectionMethod?: string;
  /** Only tests in this status. */
  status?: string;
  /** Only tests containing any of these markers. */
  markerIds?: number[];
  /** Only tests containing a marker with any of these provider ids. */
  providerIds?: string[];
  /** Only tests whose name contains this (case-insensitive). */
  name?: string;
  /** Sort key; omitted: creation order. */
  orderKey?: 'price' | 'created_at' | 'updated_at';
  /** Sort direction (ascending if omitted). */
  orderDirection?: 'asc' | 'desc';
}

/** The lab of a lab account the team may use (linked to it, or its cell's platform account for an unlinked lab), else 404. */
export async function usableAccountLab(cache: LabAccountCache, team: TeamPrincipal, labAccountId: string): Promise<string> {
  const account = findTeamVisibleAccount(await cachedTeamCell(cache, team), team, labAccountId);
  if (!account) throw new AppError('lab_account_not_found', 'Lab account not found');
  return account.lab;
}

/** The repository filter for `criteria`, or null when they can match nothing (a lab account of another lab, `auto`). */
export async function labTestFilter(cache: LabAccountCache, team: TeamPrincipal, criteria: LabTestCriteria): Promise<LabTestFilter | null> {
  let lab = criteria.lab;
  if (criteria.labAccountId) {
    const accountLab = await usableAccountLab(cache, team, criteria.labAccountId);
    if (lab && lab !== accountLab) return null;
    lab = accountLab;
  }
  if (criteria.generationMethod === 'auto') return null;
  return {
    lab,
    method: criteria.collectionMethod,
    statuses: criteria.status ? [criteria.status] : undefined,
    name: criteria.name,
    markerIds: criteria.markerIds,
    providerIds: criteria.providerIds,
    order: criteria.orderKey
      ? { key: criteria.orderKey, direction: criteria.orderDirection ?? 'asc' }
      : criteria.orderDirection
        ? { key: 'created_at', direction: criteria.orderDirection }
        : undefined,
  };
}
