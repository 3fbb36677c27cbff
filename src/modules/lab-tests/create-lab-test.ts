// Operator use case: add a lab test to one cell's catalogue (`POST /operator/v1/lab_tests`). The lab must
// offer the collection method; marker slugs are unique within the test and marker ids come from one
// sequence. Audited.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/database.js';
import { AppError } from '../../domain/errors.js';
import { labBySlug } from '../../domain/labs-catalogue.js';
import { recordAudit } from '../audit/audit.repository.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { isUniqueViolation } from '../teams/teams.repository.js';
import { findLabTests, insertLabTest, nextMarkerIds, toClientFacingLabTest } from './lab-tests.repository.js';
import type { ClientFacingLabTest, CreateLabTestBody } from './lab-tests.schemas.js';

export interface CreateLabTestOptions {
  /** Root handle; the test and its audit entry are written in one transaction. */
  db: DB;
  /** The operator, recorded as the actor. */
  principal: Principal | null;
  /** The test as the operator sent it. */
  body: CreateLabTestBody;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The new test, active; 400 for a method the lab does not offer or a repeated marker slug, 409 for a taken name. */
export async function createLabTest(options: CreateLabTestOptions): Promise<ClientFacingLabTest> {
  const { body } = options;
  const lab = labBySlug(body.lab);
  if (!lab.collection_methods.includes(body.method)) {
    throw new AppError('bad_request', `${lab.name} does not offer ${body.method}`);
  }
  const markerSlugs = new Set<string>();
  for (const marker of body.markers) {
    if (markerSlugs.has(marker.slug)) throw new AppError('bad_request', `Duplicate marker slug ${marker.slug}`);
    markerSlugs.add(marker.slug);
  }
  const id = randomUUID();
  try {
    const row = await options.db.transaction().execute(async (tx) => {
      const ids = await nextMarkerIds(tx, body.markers.length);
      const markers = body.markers.map((m, i) => ({
        id: ids[i],
        name: m.name,
        slug: m.slug,
        description: null,
        lab_id: lab.id,
        provider_id: m.provider_id ?? null,
        type: 'biomarker' as const,
        unit: m.unit ?? null,
        price: null,
        aoe: null,
        a_la_carte_enabled: false,
        common_tat_days: null,
        worst_case_tat_days: null,
        is_orderable: true,
      }));
      const record = {
        id,
        env: body.env,
        region: body.region,
        lab: body.lab,
        slug: slugify(`${body.lab} ${body.name}`),
        name: body.name,
        method: body.method,
        sample_type: body.sample_type,
        price: body.price ?? 0,
        fasting: body.fasting ?? false,
        status: 'active',
        markers,
      };
      await insertLabTest(tx, record);
      await recordAudit(tx, {
        orgId: null,
        subjectType: 'lab_test',
        subjectId: id,
        actor: actorOf(options.principal),
        action: 'lab_test.created',
        before: null,
        after: record,
      });
      return (await findLabTests(tx, { env: body.env, region: body.region }, { ids: [id] }))[0];
    });
    return toClientFacingLabTest(row);
  } catch (error) {
    if (isUniqueViolation(error, 'lab_tests_slug_idx'))
      throw new AppError('conflict', `A lab test named "${body.name}" already exists for ${body.lab} in ${body.env}/${body.region}`);
    throw error;
  }
}
