// POST /v3/order and friends through HTTP: every resolution branch, every 400/404/422 of SPEC.md §3 and §5,
// nothing written on errors, attribution stored and filterable, cancellation, listing, idempotency.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedLabAccount } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { orderWorld } from '../support/order-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('orders', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const count = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  async function expectError(promise: Promise<{ statusCode: number; json: () => any }>, status: number, code: string) {
    const before = await count();
    const res = await promise;
    assert.equal(res.statusCode, status, JSON.stringify(res.json()));
    assert.equal(res.json().code, code);
    assert.equal(await count(), before, 'nothing written');
    return res.json();
  }

  describe('resolution', () => {
    it('explicit account: placed through it, attribution stored, Junction schemas hold', async () => {
      const w = await orderWorld(t);
      const a = await w.account({ defaultClinicalNotes: 'Account note' });
      await w.account();
      const res = await w.post(w.body({ lab_account_id: a.id, clinical_notes: 'Fasting' }));
      assert.equal(res.statusCode, 200, res.body);
      assertJunctionSchema('junction', 'PostOrderResponse', res.json());
      const order = res.json().order;
      assert.equal(order.lab_account_id, a.id);
      assert.equal(order.lab_account_resolution, 'explicit');
      assert.equal(order.clinical_notes, 'Fasting');
      assert.match(order.sample_id, /^[A-Z0-9]{12}$/);
      assert.deepEqual(
        order.events.map((e: { status: string }) => e.status),
        ['received.walk_in_test.ordered'],
      );
      assert.deepEqual(order.last_event, order.events[0]);
      assert.equal(order.status, 'received');
      assert.equal(order.order_transaction.orders[0].id, order.id);
      assert.equal(order.lab_test.id, w.quest.id);
      assert.equal(order.lab_tests.length, 1);
      const viaSet = await w.post(w.body({ order_set: { lab_test_ids: [w.quest.id], lab_account_id: a.id } }));
      assert.equal(viaSet.json().order.lab_account_id, a.id);
    });

    it('explicit account not visible → 404; failing checks in order → 400', async () => {
      const w = await orderWorld(t);
      const other = await orderWorld(t);
      const foreign = await other.account();
      const unlinked = await w.account({ teamIds: [w.other.id] });
      await expectError(w.post(w.body({ lab_account_id: foreign.id })), 404, 'lab_account_not_found');
      await expectError(w.post(w.body({ lab_account_id: unlinked.id })), 404, 'lab_account_not_found');
      await expectError(w.post(w.body({ lab_account_id: '00000000-0000-4000-8000-000000000000' })), 404, 'lab_account_not_found');
      const labcorp = await w.account({ lab: 'labcorp', status: 'suspended' });
      await expectError(w.post(w.body({ lab_account_id: labcorp.id })), 400, 'lab_account_lab_mismatch');
      const suspended = await w.account({ status: 'suspended' });
      await expectError(w.post(w.body({ lab_account_id: suspended.id })), 400, 'lab_account_not_active');
      const ny = await w.account({ allowedBilling: { client_bill: ['NY'] } });
      await expectError(w.post(w.body({ lab_account_id: ny.id })), 400, 'billing_type_not_allowed');
      const delegated = await w.account({ delegatedFlow: 'order_delegated' });
      await expectError(w.post(w.body({ lab_account_id: delegated.id })), 400, 'physician_required');
      const withPhysician = await w.post(
        w.body({ lab_account_id: delegated.id, physician: { first_name: 'Grace', last_name: 'Hopper', npi: '1234567890' } }),
      );
      assert.equal(withPhysician.statusCode, 200, withPhysician.body);
      assert.deepEqual(withPhysician.json().order.physician, { first_name: 'Grace', last_name: 'Hopper', npi: '1234567890' });
      await expectError(
        w.post(w.body({ lab_account_id: delegated.id, order_set: { lab_test_ids: [w.quest.id], lab_account_id: ny.id } })),
        400,
        'lab_account_conflict',
      );
    });

    it('omitted: platform_default when nothing of the lab is linked; no_lab_account_available without one', async () => {
      const w = await orderWorld(t, { region: 'eu' });
      await expectError(
        w.post(w.body({ patient_address: { first_line: '1 Rue', city: 'Paris', state: 'FR', zip: '75001', country: 'FR' } })),
        400,
        'no_lab_account_available',
      );
      const platform = await seedLabAccount(t.database.db, {
        orgId: null,
        region: 'eu',
        lab: 'quest',
        providerAccountId: `P-${Date.now()}`,
        allowedBilling: { client_bill: [] },
      });
      const res = await w.post(
        w.body({ patient_address: { first_line: '1 Rue', city: 'Paris', state: 'FR', zip: '75001', country: 'FR' } }),
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().order.lab_account_id, platform.id);
      assert.equal(res.json().order.lab_account_resolution, 'platform_default');
      // A linked account of the lab replaces the platform account, even when it is not active.
      await w.account({ status: 'pending', allowedBilling: { client_bill: [] } });
      await expectError(
        w.post(w.body({ patient_address: { first_line: '1 Rue', city: 'Paris', state: 'FR', zip: '75001', country: 'FR' } })),
        400,
        'no_active_lab_account',
      );
      // The platform account is still not usable explicitly once the team has its own account of that lab.
      await expectError(
        w.post(
          w.body({
            lab_account_id: platform.id,
            patient_address: { first_line: '1 Rue', city: 'Paris', state: 'FR', zip: '75001', country: 'FR' },
          }),
        ),
        404,
        'lab_account_not_found',
      );
    });

    it('omitted: only_active, only_eligible, no_eligible_lab_account and lab_account_ambiguous with candidates', async () => {
      const w = await orderWorld(t);
      const a = await w.account();
      await w.account({ status: 'suspended' });
      const only = await w.post(w.body());
      assert.equal(only.json().order.lab_account_resolution, 'only_active');
      assert.equal(only.json().order.lab_account_id, a.id);
      const b = await w.account({ allowedBilling: { client_bill: ['NY'] } });
      const eligible = await w.post(w.body());
      assert.equal(eligible.json().order.lab_account_resolution, 'only_eligible');
      assert.equal(eligible.json().order.lab_account_id, a.id);
      const ny = await w.post(
        w.body({ patient_address: { first_line: '1 Main St', city: 'New York', state: 'NY', zip: '10001', country: 'US' } }),
      );
      assert.equal(ny.statusCode, 400);
      assert.equal(ny.json().code, 'lab_account_ambiguous');
      const eligibleIds = ny
        .json()
        .candidates.filter((c: { eligible: boolean }) => c.eligible)
        .map((c: { lab_account_id: string }) => c.lab_account_id);
      assert.deepEqual(eligibleIds.sort(), [a.id, b.id].sort());
      assert.equal(ny.json().candidates.length, 3, 'every linked account of the lab is a candidate, the suspended one with its reason');
      assert.ok(ny.json().candidates.some((c: { reasons: string[] }) => c.reasons.includes('lab_account_not_active')));
      const tx = await expectError(
        w.post(w.body({ patient_address: { first_line: '1 Main St', city: 'Austin', state: 'TX', zip: '73301', country: 'US' } })),
        400,
        'no_eligible_lab_account',
      );
      assert.ok(tx.candidates.every((c: { eligible: boolean; reasons: string[] }) => !c.eligible));
      assert.ok(tx.candidates.some((c: { reasons: string[] }) => c.reasons.includes('billing_type_not_allowed')));
      const onlyActiveFails = await orderWorld(t);
      await onlyActiveFails.account({ delegatedFlow: 'fully_delegated' });
      await expectError(onlyActiveFails.post(onlyActiveFails.body()), 400, 'physician_required');
    });

    it('the dry run answers what placement would, writing nothing', async () => {
      const w = await orderWorld(t);
      const a = await w.account();
      const before = await count();
      const dry = await w.post(w.body(), w.key, '/v3/order/resolve_lab_account', { 'x-idempotency-key': 'ignored' });
      assert.equal(dry.statusCode, 200, dry.body);
      assert.equal(dry.json().lab_account_id, a.id);
      assert.equal(dry.json().lab_account_resolution, 'only_active');
      assertJunctionSchema('org-management', 'ClientFacingLabAccount', dry.json().lab_account);
      assert.equal(dry.json().candidates[0].eligible, true);
      await w.account();
      const ambiguous = await w.post(w.body(), w.key, '/v3/order/resolve_lab_account');
      assert.equal(ambiguous.statusCode, 400);
      assert.equal(ambiguous.json().code, 'lab_account_ambiguous');
      assert.equal(ambiguous.json().candidates.length, 2);
      assert.equal(await count(), before);
    });
  });

  describe('test selection and patient rules', () => {
    it('one lab, one method; add-on rules; unknown tests and users 404', async () => {
      const w = await orderWorld(t);
      await w.account();
      await expectError(w.post(w.body({ order_set: { lab_test_ids: [w.quest.id, w.labcorp.id] } })), 400, 'multiple_labs');
      await expectError(
        w.post(w.body({ order_set: { lab_test_ids: [w.quest.id, w.questKit.id] }, collection_method: null })),
        400,
        'multiple_collection_methods',
      );
      await expectError(w.post(w.body({ collection_method: 'testkit' })), 400, 'collection_method_mismatch');
      await expectError(w.post(w.body({ order_set: { add_on: { marker_ids: [1] } }, collection_method: null })), 400, 'add_on_invalid');
      await expectError(w.post(w.body({ order_set: { add_on: {} } })), 400, 'add_on_invalid');
      await expectError(w.post(w.body({ order_set: { add_on: { marker_ids: [1], provider_ids: ['x'] } } })), 400, 'add_on_invalid');
      await expectError(
        w.post(w.body({ order_set: { lab_test_ids: ['00000000-0000-4000-8000-000000000000'] } })),
        404,
        'lab_test_not_found',
      );
      await expectError(w.post(w.body({ order_set: { lab_test_ids: [w.questProd.id] } })), 404, 'lab_test_not_found');
      await expectError(w.post(w.body({ user_id: w.prodUserId })), 404, 'user_not_found');
      const addOn = await w.post(w.body({ order_set: { add_on: { marker_ids: [w.quest.markers[0].id] } } }));
      assert.equal(addOn.statusCode, 200, addOn.body);
      const twoTests = await w.post(w.body({ order_set: { lab_test_ids: [w.quest.id] }, lab_test_id: null }));
      assert.equal(twoTests.statusCode, 200);
      const deprecated = await w.post(w.body({ order_set: null, lab_test_id: w.quest.id }));
      assert.equal(deprecated.statusCode, 200, deprecated.body);
    });

    it('composite lab_test for several tests, and lab_tests lists each', async () => {
      const w = await orderWorld(t);
      await w.account();
      const second = (
        await t.request({
          method: 'POST',
          url: '/operator/v1/lab_tests',
          headers: { 'x-operator-key': t.operatorKey },
          payload: {
            env: 'sandbox',
            region: 'us',
            lab: 'quest',
            name: `HbA1c ${Date.now()}`,
            method: 'walk_in_test',
            sample_type: 'serum',
            markers: [{ name: 'HbA1c', slug: 'hba1c' }],
          },
        })
      ).json();
      const res = await w.post(w.body({ order_set: { lab_test_ids: [w.quest.id, second.id] } }));
      assert.equal(res.statusCode, 200, res.body);
      const order = res.json().order;
      assert.equal(order.lab_tests.length, 2);
      assert.equal(order.lab_test.name, `${w.quest.name} + ${second.name}`);
      assert.equal(order.lab_test.markers.length, 2);
      const single = (await w.post(w.body())).json().order;
      // One test is stored once (lab_tests NULL, migration 0009); every read still shows lab_tests = [lab_test].
      const stored = await t.database.db
        .selectFrom('orders')
        .select(['id', 'lab_tests'])
        .where('id', 'in', [order.id, single.id])
        .execute();
      assert.equal(stored.find((r) => r.id === single.id)?.lab_tests, null);
      assert.equal(stored.find((r) => r.id === order.id)?.lab_tests?.length, 2);
      for (const placed of [order, single]) {
        const got = (await t.request({ method: 'GET', url: `/v3/order/${placed.id}`, headers: { 'x-vital-api-key': w.key } })).json();
        assert.deepEqual(got.lab_tests, placed.lab_tests);
        assertJunctionSchema('junction', 'ClientFacingOrder', got);
      }
      assert.deepEqual(single.lab_tests, [single.lab_test]);
      const listed = (await t.request({ method: 'GET', url: '/v3/orders', headers: { 'x-vital-api-key': w.key } })).json();
      assert.deepEqual(listed.orders.find((o: { id: string }) => o.id === single.id).lab_tests, [single.lab_test]);
    });

    it('minors need minor_ordering_enabled and a medical proxy; commercial insurance needs ICD codes', async () => {
      const w = await orderWorld(t);
      await w.account({ allowedBilling: { client_bill: ['CA'], commercial_insurance: ['CA'] } });
      const minor = {
        first_name: 'Kid',
        last_name: 'Doe',
        dob: '2015-01-01',
        gender: 'male',
        phone_number: '+15555550100',
        email: 'kid@example.com',
      };
      await expectError(w.post(w.body({ patient_details: minor })), 400, 'minor_not_allowed');
      await expectError(w.post(w.body({ billing_type: 'commercial_insurance' })), 400, 'icd_codes_required');
      assert.equal((await w.post(w.body({ billing_type: 'commercial_insurance', icd_codes: ['E78.5'] }))).statusCode, 200);
      const allowed = await orderWorld(t, { minorOrdering: true });
      await allowed.account();
      await expectError(allowed.post(allowed.body({ patient_details: minor })), 400, 'medical_proxy_required');
      const proxy = {
        first_name: 'Pat',
        last_name: 'Doe',
        phone_number: '+15555550101',
        address: { first_line: '1 Main St', city: 'LA', state: 'CA', zip: '90001', country: 'US' },
      };
      const ok = await allowed.post(allowed.body({ patient_details: { ...minor, medical_proxy: proxy } }));
      assert.equal(ok.statusCode, 200, ok.body);
    });

    it('rejects malformed input with FastAPI 422s at precise locations, writing nothing', async () => {
      const w = await orderWorld(t);
      await w.account();
      const cases: [Record<string, unknown>, (string | number)[], string][] = [
        [{ user_id: 'nope' }, ['body', 'user_id'], 'uuid_parsing'],
        [
          { patient_details: { ...w.body().patient_details, first_name: ' Ada' } },
          ['body', 'patient_details', 'first_name'],
          'string_pattern_mismatch',
        ],
        [
          { patient_details: { ...w.body().patient_details, last_name: 'L'.repeat(51) } },
          ['body', 'patient_details', 'last_name'],
          'string_too_long',
        ],
        [{ patient_details: { ...w.body().patient_details, email: 'nope' } }, ['body', 'patient_details', 'email'], 'value_error'],
        [
          { patient_details: { ...w.body().patient_details, dob: '1980-13-01' } },
          ['body', 'patient_details', 'dob'],
          'date_from_datetime_parsing',
        ],
        [{ patient_details: { ...w.body().patient_details, gender: 'x' } }, ['body', 'patient_details', 'gender'], 'enum'],
        [{ patient_address: { ...w.body().patient_address, zip: '9000' } }, ['body', 'patient_address', 'zip'], 'string_pattern_mismatch'],
        [
          { patient_address: { ...w.body().patient_address, state: 'California' } },
          ['body', 'patient_address', 'state'],
          'string_pattern_mismatch',
        ],
        [{ billing_type: 'free' }, ['body', 'billing_type'], 'enum'],
        [{ clinical_notes: 'x'.repeat(1001) }, ['body', 'clinical_notes'], 'string_too_long'],
        [{ patient_details: undefined }, ['body', 'patient_details'], 'missing'],
        [{ order_set: { lab_test_ids: 'nope' } }, ['body', 'order_set', 'lab_test_ids'], 'list_type'],
        [{ clinical_notes: 'a\u0000b' }, ['body', 'clinical_notes'], 'string_unicode'],
        [
          { patient_address: { ...w.body().patient_address, first_line: '1 Main\u0000 St' } },
          ['body', 'patient_address', 'first_line'],
          'string_unicode',
        ],
      ];
      const before = await count();
      for (const [extra, loc, type] of cases) {
        const res = await w.post({ ...w.body(), ...extra });
        assert.equal(res.statusCode, 422, JSON.stringify(extra).slice(0, 80));
        assert.deepEqual(res.json().detail[0].loc, loc);
        assert.equal(res.json().detail[0].type, type, JSON.stringify(res.json().detail[0]));
        if (loc.includes('patient_details') || loc.includes('patient_address'))
          assert.ok(res.json().detail[0].input == null, 'no PHI echoed');
      }
      const invalid = await t.request({
        method: 'POST',
        url: '/v3/order',
        headers: { 'x-vital-api-key': w.key, 'content-type': 'application/json' },
        payload: '{"user_id": ',
      });
      assert.equal(invalid.json().detail[0].type, 'json_invalid');
      assert.equal(await count(), before);
      assert.equal((await t.request({ method: 'POST', url: '/v3/order', payload: w.body() })).statusCode, 401);
    });
  });

  describe('reading, listing and cancelling', () => {
    it('gets its own orders, never another team’s or env’s', async () => {
      const w = await orderWorld(t);
      await w.account();
      const id = (await w.post(w.body())).json().order.id;
      const got = await t.request({ method: 'GET', url: `/v3/order/${id}`, headers: { 'x-vital-api-key': w.key } });
      assertJunctionSchema('junction', 'ClientFacingOrder', got.json());
      for (const key of [w.otherKey, w.prodKey]) {
        const res = await t.request({ method: 'GET', url: `/v3/order/${id}`, headers: { 'x-vital-api-key': key } });
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().code, 'order_not_found');
        assert.equal(
          (await t.request({ method: 'POST', url: `/v3/order/${id}/cancel`, headers: { 'x-vital-api-key': key } })).statusCode,
          404,
        );
      }
    });

    it('production orders move to requisition_created; scheduled ones wait', async () => {
      const w = await orderWorld(t);
      await w.account({ env: 'production' });
      const prodBody = { ...w.body(), user_id: w.prodUserId, order_set: { lab_test_ids: [w.questProd.id] } };
      const now = await w.post(prodBody, w.prodKey);
      assert.equal(now.statusCode, 200, now.body);
      assert.deepEqual(
        now.json().order.events.map((e: { status: string }) => e.status),
        ['received.walk_in_test.ordered', 'received.walk_in_test.requisition_created'],
      );
      const later = await w.post({ ...prodBody, activate_by: '2999-01-01' }, w.prodKey);
      assert.equal(later.json().order.last_event.status, 'received.walk_in_test.ordered');
      assert.equal(later.json().order.activate_by, '2999-01-01');
    });

    it('lists with paging and filters, including lab_account_id', async () => {
      const w = await orderWorld(t);
      const a = await w.account();
      const b = await w.account({ allowedBilling: { client_bill: ['NY'] } });
      const first = (await w.post(w.body({ lab_account_id: a.id }))).json().order;
      const second = (
        await w.post(
          w.body({
            lab_account_id: b.id,
            patient_address: { first_line: '1 Main', city: 'NYC', state: 'NY', zip: '10001', country: 'US' },
          }),
        )
      ).json().order;
      const kit = (
        await w.post(w.body({ lab_account_id: a.id, order_set: { lab_test_ids: [w.questKit.id] }, collection_method: 'testkit' }))
      ).json().order;
      const list = (url: string) => t.request({ method: 'GET', url, headers: { 'x-vital-api-key': w.key } });
      const all = await list('/v3/orders');
      assertJunctionSchema('junction', 'GetOrdersResponse', all.json());
      assert.deepEqual(
        all.json().orders.map((o: { id: string }) => o.id),
        [kit.id, second.id, first.id],
      );
      assert.equal(all.json().total, 3);
      assert.deepEqual(
        (await list(`/v3/orders?lab_account_id=${b.id}`)).json().orders.map((o: { id: string }) => o.id),
        [second.id],
      );
      assert.deepEqual(
        (await list('/v3/orders?order_type=testkit')).json().orders.map((o: { id: string }) => o.id),
        [kit.id],
      );
      assert.deepEqual(
        (await list(`/v3/orders?order_ids=${first.id}&order_ids=${kit.id}&order_direction=asc`))
          .json()
          .orders.map((o: { id: string }) => o.id),
        [first.id, kit.id],
      );
      const paged = await list('/v3/orders?page=2&size=2');
      assert.deepEqual(
        paged.json().orders.map((o: { id: string }) => o.id),
        [first.id],
      );
      assert.equal(paged.json().page, 2);
      assert.equal((await list('/v3/orders?status=ordered')).json().total, 3);
      assert.equal((await list('/v3/orders?status=completed')).json().total, 0);
      assert.equal((await list(`/v3/orders?search_input=${first.sample_id}`)).json().orders[0].id, first.id);
      assert.equal((await list('/v3/orders?size=101')).statusCode, 422);
      assert.deepEqual((await list('/v3/orders?status=nope')).json().detail[0].loc, ['query', 'status', 0]);
    });

    it('cancels per method and status; a cancelled order keeps its account', async () => {
      const w = await orderWorld(t);
      const a = await w.account();
      const order = (await w.post(w.body())).json().order;
      const cancel = await t.request({ method: 'POST', url: `/v3/order/${order.id}/cancel`, headers: { 'x-vital-api-key': w.key } });
      assert.equal(cancel.statusCode, 200, cancel.body);
      assertJunctionSchema('junction', 'PostOrderResponse', cancel.json());
      assert.equal(cancel.json().order.last_event.status, 'cancelled.walk_in_test.cancelled');
      assert.equal(cancel.json().order.lab_account_id, a.id);
      assert.equal(cancel.json().order.order_transaction.status, 'cancelled');
      const again = await t.request({ method: 'POST', url: `/v3/order/${order.id}/cancel`, headers: { 'x-vital-api-key': w.key } });
      assert.equal(again.statusCode, 400);
      assert.equal(again.json().code, 'cancel_not_allowed');
      assert.equal(again.json().status, 'cancelled.walk_in_test.cancelled');
      const kit = (await w.post(w.body({ order_set: { lab_test_ids: [w.questKit.id] }, collection_method: 'testkit' }))).json().order;
      for (const status of ['received.testkit.requisition_created', 'collecting_sample.testkit.transit_customer']) {
        const ev = await t.request({
          method: 'POST',
          url: `/operator/v1/orders/${kit.id}/events`,
          headers: { 'x-operator-key': t.operatorKey },
          payload: { status },
        });
        assert.equal(ev.statusCode, 200, ev.body);
      }
      const shipped = await t.request({ method: 'POST', url: `/v3/order/${kit.id}/cancel`, headers: { 'x-vital-api-key': w.key } });
      assert.equal(shipped.statusCode, 400);
      assert.equal(shipped.json().status, 'collecting_sample.testkit.transit_customer');
    });

    it('operator events follow the lifecycle graph (400 invalid_status_transition otherwise)', async () => {
      const w = await orderWorld(t);
      await w.account();
      const order = (await w.post(w.body())).json().order;
      const event = (status: string) =>
        t.request({
          method: 'POST',
          url: `/operator/v1/orders/${order.id}/events`,
          headers: { 'x-operator-key': t.operatorKey },
          payload: { status },
        });
      assert.equal((await event('completed.walk_in_test.completed')).json().code, 'invalid_status_transition');
      assert.equal((await event('received.testkit.requisition_created')).json().code, 'invalid_status_transition');
      assert.equal((await event('bogus')).statusCode, 422);
      const ok = await event('received.walk_in_test.requisition_created');
      assert.equal(ok.statusCode, 200);
      assertJunctionSchema('junction', 'ClientFacingOrder', ok.json());
      assert.equal(
        (
          await t.request({
            method: 'POST',
            url: `/operator/v1/orders/00000000-0000-4000-8000-000000000000/events`,
            headers: { 'x-operator-key': t.operatorKey },
            payload: { status: 'received.walk_in_test.requisition_created' },
          })
        ).statusCode,
        404,
      );
    });

    it('suspending or unlinking never touches existing orders', async () => {
      const w = await orderWorld(t);
      const a = await w.account();
      const order = (await w.post(w.body())).json().order;
      await t.request({
        method: 'PATCH',
        url: `/operator/v1/lab_accounts/${a.id}`,
        headers: { 'x-operator-key': t.operatorKey },
        payload: { status: 'suspended' },
      });
      await t.database.db.deleteFrom('lab_account_links').where('lab_account_id', '=', a.id).execute();
      t.app.labAccountCache.invalidate(w.org.id);
      const got = await t.request({ method: 'GET', url: `/v3/order/${order.id}`, headers: { 'x-vital-api-key': w.key } });
      assert.equal(got.json().lab_account_id, a.id);
      await expectError(w.post(w.body()), 400, 'no_lab_account_available');
    });
  });

  describe('concurrent placements', () => {
    it('share transactions without sharing outcomes: each answer is its own order or its own error', async () => {
      const w = await orderWorld(t);
      await w.account();
      await w.account({ env: 'production' });
      const prodBody = { ...w.body(), user_id: w.prodUserId, order_set: { lab_test_ids: [w.questProd.id] } };
      const patient = (i: number) => ({ ...w.body().patient_details, first_name: `Patient${i}` });
      // Warm the key and lab-account caches, so the burst below reaches placement at once (on PGlite a cache
      // miss queues for the one connection behind the transaction in flight).
      const warm = [await w.post(w.body()), await w.post(prodBody, w.prodKey)].map((res) => res.json().order.id as string);
      const sent = Array.from({ length: 16 }, (_, i) => {
        if (i % 5 === 2) return { expect: 'user_not_found', request: w.post(w.body({ user_id: '00000000-0000-4000-8000-000000000000' })) };
        if (i % 5 === 4)
          return {
            expect: 'billing_type_not_allowed',
            request: w.post(w.body({ patient_address: { ...w.body().patient_address, state: 'TX' } })),
          };
        if (i % 2 === 0) return { expect: `Patient${i}`, request: w.post({ ...prodBody, patient_details: patient(i) }, w.prodKey) };
        return { expect: `Patient${i}`, request: w.post(w.body({ patient_details: patient(i) })) };
      });
      const answers = await Promise.all(sent.map(async ({ expect, request }) => ({ expect, res: await request })));
      const placed = [];
      for (const { expect, res } of answers) {
        if (!expect.startsWith('Patient')) {
          assert.equal(res.json().code, expect, res.body);
          continue;
        }
        assert.equal(res.statusCode, 200, res.body);
        const order = res.json().order;
        assertJunctionSchema('junction', 'ClientFacingOrder', order);
        assert.equal(order.patient_details.first_name, expect);
        const production = Number(expect.slice('Patient'.length)) % 2 === 0;
        assert.deepEqual(
          order.events.map((e: { status: string }) => e.status),
          production ? ['received.walk_in_test.ordered', 'received.walk_in_test.requisition_created'] : ['received.walk_in_test.ordered'],
        );
        assert.ok(
          order.events.every((e: { id: number }, k: number) => k === 0 || e.id > order.events[k - 1].id),
          'events in order',
        );
        assert.deepEqual(
          order.order_transaction.orders.map((o: { id: string }) => o.id),
          [order.id],
        );
        const got = await t.request({
          method: 'GET',
          url: `/v3/order/${order.id}`,
          headers: { 'x-vital-api-key': production ? w.prodKey : w.key },
        });
        assert.deepEqual(got.json(), order, 'the answer is what was stored');
        placed.push(order);
      }
      const stored = await t.database.db
        .selectFrom('orders')
        .select(['id', 'created_at'])
        .where('team_id', '=', w.team.id)
        .where('id', 'not in', warm)
        .execute();
      assert.equal(stored.length, placed.length);
      assert.equal(stored.length, 10);
      const audits = await t.database.db
        .selectFrom('audit_log')
        .select('subject_id')
        .where('action', '=', 'order.created')
        .where('org_id', '=', w.org.id)
        .where('subject_id', 'not in', warm)
        .execute();
      assert.deepEqual(audits.map((a) => a.subject_id).sort(), placed.map((o) => o.id).sort());
      // Orders placed in one group share their transaction's start time: some were grouped.
      assert.ok(new Set(stored.map((o) => o.created_at.toISOString())).size < stored.length, 'no two placements shared a transaction');
    });
  });

  describe('idempotency', () => {
    it('replays the first outcome and refuses reuse with another body', async () => {
      const w = await orderWorld(t);
      await w.account();
      const first = await w.post(w.body(), w.key, '/v3/order', { 'x-idempotency-key': 'k-1' });
      const replay = await w.post(w.body(), w.key, '/v3/order', { 'x-idempotency-key': 'k-1' });
      assert.equal(replay.statusCode, 200);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.json().order.id, first.json().order.id);
      const reused = await w.post(w.body({ clinical_notes: 'other' }), w.key, '/v3/order', { 'x-idempotency-key': 'k-1' });
      assert.equal(reused.statusCode, 409);
      assert.equal(reused.json().code, 'idempotency_key_reused');
      const failing = await w.post(w.body({ collection_method: 'testkit' }), w.key, '/v3/order', { 'x-idempotency-key': 'k-2' });
      const failingReplay = await w.post(w.body({ collection_method: 'testkit' }), w.key, '/v3/order', { 'x-idempotency-key': 'k-2' });
      assert.deepEqual(failingReplay.json(), failing.json());
      const noCache = await w.post(w.body({ collection_method: 'testkit' }), w.key, '/v3/order', {
        'x-idempotency-key': 'k-3',
        'x-idempotency-error': 'no-cache',
      });
      assert.equal(noCache.statusCode, 400);
      const fixed = await w.post(w.body({ collection_method: 'testkit' }), w.key, '/v3/order', {
        'x-idempotency-key': 'k-3',
        'x-idempotency-error': 'no-cache',
      });
      assert.equal(fixed.headers['idempotent-replayed'], undefined);
    });

    it('concurrent retries of one key create exactly one order', async () => {
      const w = await orderWorld(t);
      await w.account();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => w.post(w.body(), w.key, '/v3/order', { 'x-idempotency-key': 'same' })),
      );
      const ok = results.filter((r) => r.statusCode === 200);
      assert.ok(ok.length >= 1);
      assert.ok(
        results.every((r) => r.statusCode === 200 || (r.statusCode === 409 && r.json().code === 'idempotency_request_in_progress')),
      );
      assert.equal(new Set(ok.map((r) => r.json().order.id)).size, 1);
      const rows = await t.database.db.selectFrom('orders').select('id').where('team_id', '=', w.team.id).execute();
      assert.equal(rows.length, 1);
    });
  });
});
