// The official Junction SDK (@tryvital/vital-node) as a real client against a listening Labroute: it parses
// responses with its own schemas, so any off-contract field or status breaks this test.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VitalClient } from '@tryvital/vital-node';
import { createListeningApp, type ListeningApp, setUpTenantViaApi } from '../support/listening-app.js';

describe('official SDK end to end', () => {
  let t: ListeningApp;
  let tenant: Awaited<ReturnType<typeof setUpTenantViaApi>>;
  let client: VitalClient;

  before(async () => {
    t = await createListeningApp();
    tenant = await setUpTenantViaApi(t.baseUrl, t.operatorKey);
    client = new VitalClient({ apiKey: tenant.teamKey, baseUrl: t.baseUrl });
  });
  after(async () => t.close());

  it('lists lab tests, creates, reads, lists and cancels an order', async () => {
    const tests = await client.labTests.get();
    assert.ok(tests.some((lt) => lt.id === tenant.labTest.id));

    const user = await client.user.create({ clientUserId: `sdk-${Date.now()}` });
    const created = await client.labTests.createOrder({
      userId: user.userId,
      orderSet: { labTestIds: [tenant.labTest.id] },
      collectionMethod: 'walk_in_test',
      patientDetails: {
        firstName: 'Alex',
        lastName: 'Sdk',
        dob: '1985-03-04',
        gender: 'female',
        phoneNumber: '+15555550123',
        email: 'alex@example.com',
      },
      patientAddress: { firstLine: '1 Main St', city: 'Los Angeles', state: 'CA', zip: '90001', country: 'US' },
    });
    assert.equal(created.order.userId, user.userId);
    assert.ok(created.order.sampleId);
    const orderId = created.order.id;

    const fetched = await client.labTests.getOrder(orderId);
    assert.equal(fetched.id, orderId);
    assert.equal(fetched.events[0].status, 'received.walk_in_test.ordered');

    const list = await client.labTests.getOrders({ userId: user.userId });
    assert.deepEqual(
      list.orders.map((o) => o.id),
      [orderId],
    );

    const cancelled = await client.labTests.cancelOrder(orderId);
    assert.equal(cancelled.order.events.at(-1)?.status, 'cancelled.walk_in_test.cancelled');
  });

  it('simulates an order and reads its results, metadata and PDFs', async () => {
    const user = await client.user.create({ clientUserId: `sdk-sim-${Date.now()}` });
    const created = await client.labTests.createOrder({
      userId: user.userId,
      orderSet: { labTestIds: [tenant.labTest.id] },
      collectionMethod: 'walk_in_test',
      patientDetails: {
        firstName: 'Sam',
        lastName: 'Sdk',
        dob: '1975-07-08',
        gender: 'male',
        phoneNumber: '+15555550124',
        email: 'sam@example.com',
      },
      patientAddress: { firstLine: '2 Main St', city: 'New York', state: 'NY', zip: '10001', country: 'US' },
    });
    const orderId = created.order.id;
    await client.labTests.simulateOrderProcess(orderId);
    const order = await client.labTests.getOrder(orderId);
    assert.equal(order.events.at(-1)?.status, 'completed.walk_in_test.completed');
    const raw = await client.labTests.getResultRaw(orderId);
    assert.equal(raw.metadata.specimenNumber, created.order.sampleId);
    assert.equal(raw.metadata.accountId, tenant.account.provider_account_id);
    assert.ok(Array.isArray(raw.results) && raw.results.length === 2);
    const metadata = await client.labTests.getResultMetadata(orderId);
    assert.equal(metadata.patient, 'Sam Sdk');
    const readAll = async (response: unknown): Promise<Buffer> => {
      const r = response as { arrayBuffer?: () => Promise<ArrayBuffer>; stream?: () => ReadableStream; bytes?: () => Promise<Uint8Array> };
      if (typeof r.arrayBuffer === 'function') return Buffer.from(await r.arrayBuffer());
      if (typeof r.bytes === 'function') return Buffer.from(await r.bytes());
      throw new Error('unexpected binary response');
    };
    const pdf = await readAll(await client.labTests.getResultPdf(orderId));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const requisition = await readAll(await client.labTests.getOrderRequistionPdf(orderId));
    assert.equal(requisition.subarray(0, 5).toString(), '%PDF-');
  });
});
