// Which tests an order is for, and so its lab and collection method (reference §3.5 and its messages): the
// ordered tests must exist and be active, add-on markers must name markers of the catalogue, and all of them
// must agree on one lab and one method (domain/order-rules.ts).
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/database.js';
import type { CollectionMethod } from '../../domain/enums.js';
import { AppError } from '../../domain/errors.js';
import { selectLabAndMethod } from '../../domain/order-rules.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { findLabTests, type LabTestRow, toClientFacingLabTest } from '../lab-tests/lab-tests.repository.js';
import type { ClientFacingLabTest } from '../lab-tests/lab-tests.schemas.js';
import type { CreateOrderRequest } from './orders.schemas.js';

export interface TestSelection {
  tests: LabTestRow[];
  addOnMarkers: NonNullable<ClientFacingLabTest['markers']>;
  lab: string;
  method: CollectionMethod;
}

/** The ids of the ordered tests, each once. */
export function orderedTestIds(body: CreateOrderRequest): string[] {
  const ids = body.order_set?.lab_test_ids ?? (body.lab_test_id ? [body.lab_test_id] : []);
  return [...new Set(ids)];
}

/** The order's tests and add-on markers, given the ordered tests found in the team's cell; or the selection's error. */
export async function selectTests(tx: Tx, principal: TeamPrincipal, body: CreateOrderRequest, tests: LabTestRow[]): Promise<TestSelection> {
  const addOn = body.order_set?.add_on ?? null;
  if (addOn) {
    if (!body.collection_method) throw new AppError('add_on_invalid', 'collection_method must be set if add_on is set');
    const hasIds = (addOn.marker_ids?.length ?? 0) > 0;
    const hasProviders = (addOn.provider_ids?.length ?? 0) > 0;
    if (!hasIds && !hasProviders) throw new AppError('add_on_invalid', 'marker_ids or provider_ids must be set in add_on');
    if (hasIds && hasProviders) throw new AppError('add_on_invalid', 'cannot set both marker_ids and provider_ids in add_on');
  }
  const ids = orderedTestIds(body);
  const missing = ids.filter((id) => !tests.some((t) => t.id === id));
  if (missing.length > 0) throw new AppError('lab_test_not_found', `Lab test ${missing[0]} not found`, { lab_test_ids: missing });
  const inactive = tests.filter((t) => t.status !== 'active');
  if (inactive.length > 0) throw new AppError('bad_request', `Lab test ${inactive[0].id} is not active`);
  let addOnTests: LabTestRow[] = [];
  let addOnMarkers: TestSelection['addOnMarkers'] = [];
  if (addOn) {
    const markerIds = addOn.marker_ids ?? undefined;
    const providerIds = addOn.provider_ids ?? undefined;
    addOnTests = await findLabTests(tx, principal, { markerIds, providerIds, statuses: ['active'] });
    const all = addOnTests.flatMap((t) => t.markers.map((m) => ({ ...m, lab: t.lab })));
    const wanted = markerIds ?? providerIds ?? [];
    const found = wanted.map((w) => all.find((m) => (markerIds ? m.id === w : m.provider_id === w)));
    const absent = wanted.filter((_, i) => !found[i]);
    if (absent.length > 0)
      throw new AppError('lab_test_not_found', `Marker ${String(absent[0])} not found in this environment's catalogue`);
    addOnMarkers = found.map((m) => {
      const { lab: _lab, ...marker } = m!;
      return marker;
    });
  }
  const selection = selectLabAndMethod(
    tests.map((t) => ({ id: t.id, lab: t.lab, method: t.method, name: t.name, slug: t.slug })),
    addOnTests.map((t) => t.lab),
    body.collection_method,
  );
  if (!selection.ok) throw new AppError(selection.code, selection.message);
  return { tests, addOnMarkers, lab: selection.lab, method: selection.method as CollectionMethod };
}

/**
 * The order's lab_test: its single test (the same object as `views[0]`), or a composite named after every
 * test with all their markers.
 */
export function compositeTest(selection: TestSelection, views: ClientFacingLabTest[]): ClientFacingLabTest {
  const { tests, addOnMarkers, lab, method } = selection;
  if (views.length === 1 && addOnMarkers.length === 0) return views[0];
  const markers = [...views.flatMap((v) => v.markers ?? []), ...addOnMarkers];
  const names = [...views.map((v) => v.name), ...addOnMarkers.map((m) => m.name)];
  const template = views[0];
  return {
    id: randomUUID(),
    slug: [...views.map((v) => v.slug), ...addOnMarkers.map((m) => m.slug)].join('+'),
    name: names.join(' + '),
    sample_type: template?.sample_type ?? 'serum',
    method: method as ClientFacingLabTest['method'],
    price: views.reduce((sum, v) => sum + v.price, 0),
    is_active: true,
    status: 'active',
    fasting: views.some((v) => v.fasting),
    lab: template?.lab ?? toClientFacingLabTest({ ...tests[0], lab } as LabTestRow).lab,
    markers,
    is_delegated: false,
    auto_generated: false,
    has_collection_instructions: null,
    common_tat_days: null,
    worst_case_tat_days: null,
  };
}
