// Inserts orders straight into the database (with their transaction and first event), for tests of
// modules that consume orders — results, reconciliation — independently of the order-placement route.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Queryable } from '../../src/db/database.js';

export interface SeedOrder {
  orgId: string;
  teamId: string;
  labAccountId: string;
  env?: 'sandbox' | 'production';
  region?: 'us' | 'eu';
  lab?: string;
  method?: 'walk_in_test' | 'at_home_phlebotomy' | 'testkit' | 'on_site_collection';
  statusTop?: string;
  statusLow?: string;
  /** Leaves the order out of order_counts, as on a database not yet migrated to 0011. */
  uncounted?: boolean;
}

export async function seedOrder(db: Queryable, o: SeedOrder): Promise<{ id: string; sampleId: string; userId: string }> {
  const id = randomUUID();
  const txId = randomUUID();
  const userId = randomUUID();
  const sampleId = randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
  const method = o.method ?? 'walk_in_test';
  const top = o.statusTop ?? 'received';
  const low = o.statusLow ?? 'ordered';
  await db.insertInto('order_transactions').values({ id: txId, team_id: o.teamId, status: 'active' }).execute();
  await db
    .insertInto('orders')
    .values({
      id,
      org_id: o.orgId,
      team_id: o.teamId,
      env: o.env ?? 'sandbox',
      region: o.region ?? 'us',
      user_id: userId,
      lab_account_id: o.labAccountId,
      lab_account_resolution: 'explicit',
      lab: o.lab ?? 'quest',
      collection_method: method,
      sample_id: sampleId,
      status_top: top,
      status_low: low,
      lab_test: JSON.stringify({ name: 'Lipid Panel' }),
      lab_tests: JSON.stringify([{ name: 'Lipid Panel', markers: [{ name: 'LDL' }] }]),
      patient_details: JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', dob: '1980-05-06', gender: 'female' }),
      patient_address: JSON.stringify({ first_line: '1 Main St', city: 'Los Angeles', state: 'CA', zip: '90001', country: 'US' }),
      patient_name: 'Ada Lovelace',
      physician: JSON.stringify(null),
      billing_type: 'client_bill',
      icd_codes: JSON.stringify(null),
      origin: 'initial',
      priority: false,
      order_transaction_id: txId,
      details_id: randomUUID(),
      consents: JSON.stringify(null),
      aoe_answers: JSON.stringify(null),
    })
    .execute();
  // Counted as placement counts its orders (migration 0011), in the part of orders written in SQL.
  if (!o.uncounted) {
    await db
      .insertInto('order_counts')
      .values({ team_id: o.teamId, env: o.env ?? 'sandbox', shard: 0, n: 1 })
      .onConflict((oc) => oc.columns(['team_id', 'env', 'shard']).doUpdateSet({ n: sql`order_counts.n + 1` }))
      .execute();
  }
  await db
    .insertInto('order_events')
    .values({ order_id: id, status: `received.${method}.ordered` })
    .execute();
  if (top !== 'received' || low !== 'ordered') {
    await db
      .insertInto('order_events')
      .values({ order_id: id, status: `${top}.${method}.${low}` })
      .execute();
  }
  return { id, sampleId, userId };
}
