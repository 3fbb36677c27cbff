// Queries for the lab-test catalogue of one cell, and the mapping to Junction's ClientFacingLabTest.

import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { LabTestsTable } from '../../db/schema.js';
import type { Cell } from '../../domain/enums.js';
import { labBySlug } from '../../domain/labs-catalogue.js';
import type { ClientFacingLabTest } from './lab-tests.schemas.js';

/** A catalogue row as read. */
export type LabTestRow = Omit<Selectable<LabTestsTable>, 'created_at' | 'updated_at'>;

export const LAB_TEST_COLUMNS = [
  'id',
  'seq',
  'env',
  'region',
  'lab',
  'slug',
  'name',
  'method',
  'sample_type',
  'price',
  'fasting',
  'status',
  'markers',
] as const;

export interface LabTestFilter {
  ids?: string[];
  lab?: string;
  method?: string;
  statuses?: string[];
  name?: string;
  markerIds?: number[];
  providerIds?: string[];
  afterSeq?: string;
  order?: { key: 'price' | 'created_at' | 'updated_at'; direction: 'asc' | 'desc' };
  limit?: number;
}

export async function findLabTests(db: Queryable, cell: Cell, filter: LabTestFilter = {}): Promise<LabTestRow[]> {
  if (filter.ids && filter.ids.length === 0) return [];
  let query = db.selectFrom('lab_tests').select(LAB_TEST_COLUMNS).where('env', '=', cell.env).where('region', '=', cell.region);
  if (filter.ids) query = query.where('id', 'in', filter.ids);
  if (filter.lab) query = query.where('lab', '=', filter.lab);
  if (filter.method) query = query.where('method', '=', filter.method);
  if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
  if (filter.name) query = query.where('name', 'ilike', `%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.markerIds?.length) {
    const ids = filter.markerIds;
    query = query.where((eb) => eb.or(ids.map((id) => sql<boolean>`markers @> ${JSON.stringify([{ id }])}::jsonb`)));
  }
  if (filter.providerIds?.length) {
    const ids = filter.providerIds;
    query = query.where((eb) => eb.or(ids.map((provider_id) => sql<boolean>`markers @> ${JSON.stringify([{ provider_id }])}::jsonb`)));
  }
  if (filter.afterSeq) query = query.where('seq', '>', filter.afterSeq);
  if (filter.order && filter.order.key !== 'created_at') {
    query = query.orderBy(filter.order.key === 'price' ? 'price' : 'updated_at', filter.order.direction).orderBy('seq', 'asc');
  } else {
    query = query.orderBy('seq', filter.order?.direction ?? 'asc');
  }
  if (filter.limit) query = query.limit(filter.limit);
  return (await query.execute()) as LabTestRow[];
}

export async function nextMarkerIds(db: Queryable, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = await db.selectNoFrom((eb) => eb.fn<string>('nextval', [eb.val('marker_ids')]).as('id')).executeTakeFirstOrThrow();
    ids.push(Number(row.id));
  }
  return ids;
}

export async function insertLabTest(db: Queryable, row: Omit<LabTestRow, 'seq' | 'price'> & { price: number | string }): Promise<void> {
  await db
    .insertInto('lab_tests')
    .values({ ...row, markers: JSON.stringify(row.markers) })
    .execute();
}

/** Junction's ClientFacingLabTest for a catalogue row. */
export function toClientFacingLabTest(row: LabTestRow): ClientFacingLabTest {
  const lab = labBySlug(row.lab);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    sample_type: row.sample_type as ClientFacingLabTest['sample_type'],
    method: row.method as ClientFacingLabTest['method'],
    price: Number(row.price),
    is_active: row.status === 'active',
    status: row.status as ClientFacingLabTest['status'],
    fasting: row.fasting,
    lab: { ...lab, logo_url: null },
    markers: row.markers,
    is_delegated: false,
    auto_generated: false,
    has_collection_instructions: null,
    common_tat_days: null,
    worst_case_tat_days: null,
  };
}
