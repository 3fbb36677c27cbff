// Migration 0012 on a database that already has webhook deliveries: each becomes an outbox row of consumer
// `webhook` with its id, status, attempts and due time; its attempt log stays attached; a pending one is then
// delivered with the Svix id it had before the upgrade.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createOutbox } from '../../src/db/outbox.js';
import { svixMessageId, webhookConsumer } from '../../src/modules/webhooks/deliver-webhook.js';
import { WEBHOOK_CONSUMER } from '../../src/modules/webhooks/webhook-events.js';
import { seedOrg } from '../support/fixtures.js';
import { backend, freshPostgresUrl } from '../support/test-app.js';

describe('migration 0012 on a database with webhook deliveries', () => {
  let database: DatabaseHandle;
  before(async () => {
    database =
      backend === 'postgres' ? await createDatabase({ databaseUrl: await freshPostgresUrl(), poolSize: 2 }) : await createDatabase({});
  });
  after(async () => database.close());

  it('moves every delivery into the outbox and delivers the pending ones with their old Svix ids', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      received.push(String(req.headers['svix-id']));
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const migrator = new Migrator({
        db: database.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'labroute_migration',
        migrationLockTableName: 'labroute_migration_lock',
      });
      const to0011 = await migrator.migrateTo('0011-order-counts');
      assert.equal(to0011.error, undefined);
      const db = database.db;
      const org = await seedOrg(db);
      const endpoint = randomUUID();
      await sql`insert into webhook_endpoints (id, org_id, env, url, event_types, secret)
        values (${endpoint}, ${org.id}, 'sandbox', ${`http://127.0.0.1:${port}/hook`}, 'null'::jsonb, 'whsec_AAAA')`.execute(db);
      const [pending, delivered, failed] = [randomUUID(), randomUUID(), randomUUID()];
      await sql`insert into webhook_deliveries (id, endpoint_id, event_type, payload, status, attempts, next_attempt_at, last_error, delivered_at)
        values
          (${pending}, ${endpoint}, 'labtest.order.created', '{"n":1}', 'pending', 1, now() - interval '1 minute', 'HTTP 500', null),
          (${delivered}, ${endpoint}, 'labtest.order.created', '{"n":2}', 'delivered', 1, now(), null, now()),
          (${failed}, ${endpoint}, 'labtest.order.created', '{"n":3}', 'failed', 3, now(), 'ECONNREFUSED', null)`.execute(db);
      await sql`insert into webhook_attempts (delivery_id, status_code, error, duration_ms) values (${pending}, 500, 'HTTP 500', 3)`.execute(
        db,
      );

      await database.migrate();

      const rows = await db.selectFrom('outbox').selectAll().orderBy('seq').execute();
      assert.deepEqual(
        rows.map((r) => [r.id, r.consumer, r.subject, r.payload, r.status, r.attempts, r.last_error]),
        [
          [pending, WEBHOOK_CONSUMER, endpoint, '{"n":1}', 'pending', 1, 'HTTP 500'],
          [delivered, WEBHOOK_CONSUMER, endpoint, '{"n":2}', 'done', 1, null],
          [failed, WEBHOOK_CONSUMER, endpoint, '{"n":3}', 'failed', 3, 'ECONNREFUSED'],
        ],
      );
      assert.ok(rows[1].completed_at && rows[2].completed_at, 'finished deliveries keep a completion time');
      const { rows: tables } = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_tables where tablename = 'webhook_deliveries'`.execute(db);
      assert.equal(tables[0].n, 0);

      const outbox = createOutbox(db, [webhookConsumer({ db, retryScheduleSeconds: [0, 0, 0], timeoutMs: 5000, allowPrivate: true })]);
      assert.equal(await outbox.drain(WEBHOOK_CONSUMER), 1);
      assert.deepEqual(received, [svixMessageId(pending)]);
      const attempts = await db
        .selectFrom('webhook_attempts')
        .select('status_code')
        .where('delivery_id', '=', pending)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        attempts.map((a) => a.status_code),
        [500, 200],
      );
      assert.equal((await db.selectFrom('outbox').select('status').where('id', '=', pending).executeTakeFirstOrThrow()).status, 'done');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
