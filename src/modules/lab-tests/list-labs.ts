// Team use case: Junction's Get Labs, the labs Labroute knows (`GET /v3/lab_tests/labs`); the catalogue is
// fixed in domain/labs-catalogue.ts, so nothing is read.
import type { z } from 'zod';
import { LAB_CATALOGUE } from '../../domain/labs-catalogue.js';
import type { ClientFacingLab } from './lab-tests.schemas.js';

/** Every lab of the catalogue, without a logo. */
export function listLabs(): z.infer<typeof ClientFacingLab>[] {
  return LAB_CATALOGUE.map((lab) => ({ ...lab, logo_url: null }));
}
