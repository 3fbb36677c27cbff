// Two dispatchers (two instances' pools) on one PostgreSQL database deliver every attempt exactly once, and a
// new dispatcher after a "restart" picks up deliveries left pending.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type DatabaseHandle, type DB } from '../../src/db/database.js';
import { createOutbox } from '../../src/db/outbox.js';
import { webhookConsumer } from '../../src/modules/webhooks/deliver-webhook.js';
import { enqueueWebhookEvent, WEBHOOK_CONSUMER } from '../../src/modules/webhooks/webhook-events.js';
import { seedOrg } from '../support/fixtures.js';
import { freshPostgresUrl } from '../support/test-app.js';

describe('webhook dispatch across instances (PostgreSQL)', () => {
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  before(async () => {
    const url = await freshPostgresUrl();
    a = await createDatabase({ databaseUrl: url, poolSize: 5 });
    await a.migrate();
    b = await createDatabase({ databaseUrl: url, poolSize: 5 });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('never sends one delivery twice when two instances dispatch at once, and resumes after a restart', async () => {
    const hits = new Map<string, number>();
    const server = createServer((req, res) => {
      const id = String(req.headers['svix-id']);
      hits.set(id, (hits.get(id) ?? 0) + 1);
      req.resume();
      req.on('end', () => {
        res.statusCode = 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const config = loadConfig({ LABROUTE_WEBHOOK_ALLOW_PRIVATE: '1', LABROUTE_WEBHOOK_RETRY_SCHEDULE: '0,0' });
      // Each dispatcher is an outbox of its own (as each instance has), over one of the two pools.
      const dispatcher = (db: DB) =>
        createOutbox(db, [
          webhookConsumer({
            db,
            retryScheduleSeconds: config.webhookRetryScheduleSeconds,
            timeoutMs: config.webhookTimeoutMs,
            allowPrivate: config.webhookAllowPrivate,
          }),
        ]);
      const [a1, b1, a2, b2] = [dispatcher(a.db), dispatcher(b.db), dispatcher(a.db), dispatcher(b.db)];
      const org = await seedOrg(a.db);
      await a.db
        .insertInto('webhook_endpoints')
        .values({
          id: randomUUID(),
          org_id: org.id,
          team_id: null,
          env: 'sandbox',
          url: `http://127.0.0.1:${port}/hook`,
          event_types: JSON.stringify(null),
          secret: 'whsec_AAAA',
        })
        .execute();
      const total = 60;
      await a.db.transaction().execute(async (tx) => {
        for (let i = 0; i < total; i++)
          await enqueueWebhookEvent(a1, tx, {
            orgId: org.id,
            teamId: null,
            env: 'sandbox',
            eventType: 'lab_account.updated',
            payload: { i },
          });
      });
      await Promise.all([a1, b1, a2, b2].map((outbox) => outbox.drain(WEBHOOK_CONSUMER)));
      assert.equal(hits.size, total);
      assert.ok(
        [...hits.values()].every((n) => n === 1),
        'each message delivered exactly once',
      );

      // A "restart": deliveries written while no dispatcher ran are sent by a fresh one.
      await a.db.transaction().execute(async (tx) =>
        enqueueWebhookEvent(a1, tx, {
          orgId: org.id,
          teamId: null,
          env: 'sandbox',
          eventType: 'lab_account.updated',
          payload: { late: true },
        }),
      );
      await dispatcher(b.db).drain(WEBHOOK_CONSUMER);
      assert.equal(hits.size, total + 1);
      const pending = await a.db
        .selectFrom('outbox')
        .select('id')
        .where('consumer', '=', WEBHOOK_CONSUMER)
        .where('status', '=', 'pending')
        .execute();
      assert.equal(pending.length, 0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
