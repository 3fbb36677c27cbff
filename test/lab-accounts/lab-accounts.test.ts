// Lab accounts through every API: operator CRUD, Management list / get / PATCH (If-Match) / history / impact,
// and the Team API list — allowed and denied, with Junction's schemas checked on every body.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedManagementKey, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { seedOrder } from '../support/order-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const rnd = () => Math.random().toString(36).slice(2, 10);

describe('lab accounts', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  const op = () => ({ 'x-operator-key': t.operatorKey });
  async function tenant() {
    const db = t.database.db;
    const org = await seedOrg(db);
    const teamA = await seedTeam(db, org.id, { region: 'us' });
    const teamB = await seedTeam(db, org.id, { region: 'us' });
    const teamEu = await seedTeam(db, org.id, { region: 'eu' });
    const admin = await seedManagementKey(db, org.id, 'org_admin');
    const teamAdmin = await seedManagementKey(db, org.id, 'team_admin', [teamB.id]);
    const keyA = await seedTeamKey(db, teamA, 'sandbox');
    const keyB = await seedTeamKey(db, teamB, 'sandbox');
    const prodKeyA = await seedTeamKey(db, teamA, 'production');
    return {
      org,
      teamA,
      teamB,
      teamEu,
      admin: admin.key,
      teamAdmin: teamAdmin.key,
      keyA: keyA.key,
      keyB: keyB.key,
      prodKeyA: prodKeyA.key,
    };
  }
  const createAccount = (body: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/operator/v1/lab_accounts', headers: op(), payload: body });
  const baseAccount = (orgId: string | null, extra: Record<string, unknown> = {}) => ({
    org_id: orgId,
    env: 'sandbox',
    region: 'us',
    lab: 'quest',
    status: 'active',
    delegated_flow: 'not_delegated',
    provider_account_id: `Q-${rnd()}`,
    account_name: 'Acme Quest',
    allowed_billing: { client_bill: ['CA', 'NY'] },
    ...extra,
  });
  const mg = (key: string) => ({ 'x-management-key': key });
  const orgUrl = (orgId: string, rest = '') => `/v1/org/${orgId}/lab_account/sandbox/us${rest}`;

  describe('operator API', () => {
    it('creates an org account linked to teams, and a platform account', async () => {
      const w = await tenant();
      const res = await createAccount(
        baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id, w.teamA.id, w.teamB.id], business_units: ['BU1'] }),
      );
      assert.equal(res.statusCode, 201, res.body);
      assertJunctionSchema('org-management', 'ClientFacingLabAccount', res.json());
      assert.deepEqual(res.json().team_id_allowlist, [w.teamA.id, w.teamB.id]);
      assert.deepEqual(res.json().business_units, ['BU1']);
      const platform = await createAccount(baseAccount(null, { lab: 'labcorp', env: 'production' }));
      assert.equal(platform.statusCode, 201, platform.body);
      assert.equal(platform.json().org_id, null);
      const get = await t.request({ method: 'GET', url: `/operator/v1/lab_accounts/${res.json().id}`, headers: op() });
      assert.deepEqual(get.json(), res.json());
      const list = await t.request({ method: 'GET', url: `/operator/v1/lab_accounts?org_id=${w.org.id}`, headers: op() });
      assert.deepEqual(
        list.json().data.map((a: { id: string }) => a.id),
        [res.json().id],
      );
    });

    it('enforces one platform account per cell and lab, always not_delegated, never linked', async () => {
      const lab = 'bioreference';
      const env = 'production';
      const region = 'eu';
      const first = await createAccount(baseAccount(null, { lab, env, region }));
      assert.equal(first.statusCode, 201, first.body);
      const second = await createAccount(baseAccount(null, { lab, env, region }));
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().code, 'platform_account_exists');
      const delegated = await createAccount(baseAccount(null, { lab: 'sonora_quest', delegated_flow: 'order_delegated' }));
      assert.equal(delegated.statusCode, 400);
      const w = await tenant();
      const linked = await createAccount(baseAccount(null, { lab: 'crl', team_id_allowlist: [w.teamA.id] }));
      assert.equal(linked.statusCode, 400);
    });

    it('rejects a taken provider_account_id, foreign or other-region teams, unknown orgs and bad input', async () => {
      const w = await tenant();
      const number = `Q-${rnd()}`;
      assert.equal((await createAccount(baseAccount(w.org.id, { provider_account_id: number }))).statusCode, 201);
      const taken = await createAccount(baseAccount(w.org.id, { provider_account_id: number }));
      assert.equal(taken.statusCode, 409);
      assert.equal(taken.json().code, 'provider_account_id_taken');
      const other = await tenant();
      const foreign = await createAccount(baseAccount(w.org.id, { team_id_allowlist: [other.teamA.id] }));
      assert.equal(foreign.statusCode, 400);
      assert.deepEqual(foreign.json().team_ids, [other.teamA.id]);
      const eu = await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamEu.id] }));
      assert.equal(eu.json().code, 'teams_not_in_region');
      const unknownOrg = await createAccount(baseAccount('00000000-0000-4000-8000-000000000000'));
      assert.equal(unknownOrg.statusCode, 404);
      const badBilling = await createAccount(baseAccount(w.org.id, { allowed_billing: { client_bill: ['ZZ'] } }));
      assert.equal(badBilling.statusCode, 422);
      assert.deepEqual(badBilling.json().detail[0].loc, ['body', 'allowed_billing', 'client_bill', 0]);
      const badLab = await createAccount(baseAccount(w.org.id, { lab: 'acme' }));
      assert.deepEqual(badLab.json().detail[0].loc, ['body', 'lab']);
      assert.equal(badLab.json().detail[0].type, 'enum');
      const asManagement = await t.request({
        method: 'POST',
        url: '/operator/v1/lab_accounts',
        headers: mg(w.admin),
        payload: baseAccount(w.org.id),
      });
      assert.equal(asManagement.statusCode, 401);
    });

    it('changes status in any direction and configuration, each audited', async () => {
      const w = await tenant();
      const id = (await createAccount(baseAccount(w.org.id, { status: 'pending' }))).json().id;
      for (const status of ['ready_to_launch', 'active', 'suspended', 'active', 'pending']) {
        const res = await t.request({ method: 'PATCH', url: `/operator/v1/lab_accounts/${id}`, headers: op(), payload: { status } });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().status, status);
      }
      const cfg = await t.request({
        method: 'PATCH',
        url: `/operator/v1/lab_accounts/${id}`,
        headers: op(),
        payload: { default_clinical_notes: 'Fasting', allowed_billing: { commercial_insurance: ['TX'] } },
      });
      assert.equal(cfg.json().default_clinical_notes, 'Fasting');
      assert.deepEqual(cfg.json().allowed_billing, { commercial_insurance: ['TX'] });
      const history = await t.request({ method: 'GET', url: orgUrl(w.org.id, `/${id}/history`), headers: mg(w.admin) });
      assert.equal(history.statusCode, 200, history.body);
      assert.deepEqual(
        history.json().data.map((e: { action: string }) => e.action),
        [
          'lab_account.updated',
          'lab_account.status_changed',
          'lab_account.status_changed',
          'lab_account.status_changed',
          'lab_account.status_changed',
          'lab_account.status_changed',
          'lab_account.created',
        ],
      );
      assert.equal(history.json().data[1].before.status, 'active');
      assert.equal(history.json().data[1].after.status, 'pending');
      assert.equal(history.json().data[0].actor.kind, 'operator');
      const unknown = await t.request({
        method: 'PATCH',
        url: '/operator/v1/lab_accounts/00000000-0000-4000-8000-000000000000',
        headers: op(),
        payload: { status: 'active' },
      });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().code, 'lab_account_not_found');
    });
  });

  describe('Management API', () => {
    it('lists org accounts of the cell with filters, never platform accounts', async () => {
      const w = await tenant();
      const a = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id] }))).json();
      const b = (await createAccount(baseAccount(w.org.id, { status: 'suspended', team_id_allowlist: [w.teamB.id] }))).json();
      await createAccount(baseAccount(w.org.id, { env: 'production' }));
      const list = await t.request({ method: 'GET', url: orgUrl(w.org.id), headers: mg(w.admin) });
      assert.equal(list.statusCode, 200);
      assertJunctionSchema('org-management', 'LabAccountsResponse', list.json());
      assert.deepEqual(
        list.json().data.map((x: { id: string }) => x.id),
        [a.id, b.id],
      );
      assert.ok(list.json().data.every((x: { org_id: string | null }) => x.org_id === w.org.id));
      const byTeam = await t.request({ method: 'GET', url: orgUrl(w.org.id, `?team_id=${w.teamB.id}`), headers: mg(w.admin) });
      assert.deepEqual(
        byTeam.json().data.map((x: { id: string }) => x.id),
        [b.id],
      );
      const byStatus = await t.request({ method: 'GET', url: orgUrl(w.org.id, '?status=active'), headers: mg(w.admin) });
      assert.deepEqual(
        byStatus.json().data.map((x: { id: string }) => x.id),
        [a.id],
      );
      const byId = await t.request({ method: 'GET', url: orgUrl(w.org.id, `?lab_account_id=${b.id}`), headers: mg(w.admin) });
      assert.deepEqual(
        byId.json().data.map((x: { id: string }) => x.id),
        [b.id],
      );
      const teamAdmin = await t.request({ method: 'GET', url: orgUrl(w.org.id), headers: mg(w.teamAdmin) });
      assert.deepEqual(
        teamAdmin.json().data.map((x: { id: string }) => x.id),
        [b.id],
      );
      const outside = await t.request({ method: 'GET', url: orgUrl(w.org.id, `?team_id=${w.teamA.id}`), headers: mg(w.teamAdmin) });
      assert.deepEqual(outside.json().data, []);
    });

    it('answers 422 for malformed path and query, 404 for another org, 401 for team keys', async () => {
      const w = await tenant();
      const other = await tenant();
      const badOrg = await t.request({ method: 'GET', url: '/v1/org/nope/lab_account/sandbox/us', headers: mg(w.admin) });
      assert.equal(badOrg.statusCode, 422);
      assert.deepEqual(badOrg.json().detail[0].loc, ['path', 'org_id']);
      assertJunctionSchema('org-management', 'HTTPValidationError', badOrg.json());
      const badEnv = await t.request({ method: 'GET', url: `/v1/org/${w.org.id}/lab_account/staging/us`, headers: mg(w.admin) });
      assert.deepEqual(badEnv.json().detail[0].loc, ['path', 'env']);
      const badStatus = await t.request({ method: 'GET', url: orgUrl(w.org.id, '?status=paused'), headers: mg(w.admin) });
      assert.deepEqual(badStatus.json().detail[0].loc, ['query', 'status']);
      const foreign = await t.request({ method: 'GET', url: orgUrl(other.org.id), headers: mg(w.admin) });
      assert.equal(foreign.statusCode, 404);
      const teamKey = await t.request({ method: 'GET', url: orgUrl(w.org.id), headers: { 'x-vital-api-key': w.keyA } });
      assert.equal(teamKey.statusCode, 401);
      const none = await t.request({ method: 'GET', url: orgUrl(w.org.id) });
      assert.equal(none.statusCode, 401);
    });

    it('PATCH replaces the allowlist (collapsing duplicates, [] unlinks all) and returns the new ETag', async () => {
      const w = await tenant();
      const account = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id] }))).json();
      const get = await t.request({ method: 'GET', url: orgUrl(w.org.id, `/${account.id}`), headers: mg(w.admin) });
      assert.equal(get.statusCode, 200);
      assertJunctionSchema('org-management', 'LabAccountResponse', get.json());
      const etag = get.headers.etag as string;
      assert.match(etag, /^"[^"]+"$/);
      const patch = await t.request({
        method: 'PATCH',
        url: orgUrl(w.org.id, `/${account.id}`),
        headers: { ...mg(w.admin), 'if-match': etag },
        payload: { team_id_allowlist: [w.teamB.id, w.teamA.id, w.teamB.id] },
      });
      assert.equal(patch.statusCode, 200, patch.body);
      assertJunctionSchema('org-management', 'LabAccountResponse', patch.json());
      assert.deepEqual(patch.json().lab_account.team_id_allowlist, [w.teamB.id, w.teamA.id]);
      assert.notEqual(patch.headers.etag, etag);
      const stale = await t.request({
        method: 'PATCH',
        url: orgUrl(w.org.id, `/${account.id}`),
        headers: { ...mg(w.admin), 'if-match': etag },
        payload: { team_id_allowlist: [] },
      });
      assert.equal(stale.statusCode, 412);
      assert.equal(stale.json().code, 'precondition_failed');
      const any = await t.request({
        method: 'PATCH',
        url: orgUrl(w.org.id, `/${account.id}`),
        headers: { ...mg(w.admin), 'if-match': '*' },
        payload: { team_id_allowlist: [] },
      });
      assert.equal(any.statusCode, 200);
      assert.deepEqual(any.json().lab_account.team_id_allowlist, []);
      const noIfMatch = await t.request({
        method: 'PATCH',
        url: orgUrl(w.org.id, `/${account.id}`),
        headers: mg(w.admin),
        payload: { team_id_allowlist: [w.teamA.id] },
      });
      assert.equal(noIfMatch.statusCode, 200);
      const history = await t.request({ method: 'GET', url: orgUrl(w.org.id, `/${account.id}/history?limit=2`), headers: mg(w.admin) });
      assert.equal(history.json().data.length, 2);
      assert.equal(history.json().data[0].action, 'lab_account.teams_updated');
      assert.deepEqual(history.json().data[0].after.team_id_allowlist, [w.teamA.id]);
      assert.equal(history.json().data[0].actor.kind, 'management');
      const next = await t.request({
        method: 'GET',
        url: orgUrl(w.org.id, `/${account.id}/history?limit=2&next_cursor=${history.json().next_cursor}`),
        headers: mg(w.admin),
      });
      assert.equal(next.json().data[0].action, 'lab_account.teams_updated');
      assert.equal(next.json().data[1].action, 'lab_account.created');
    });

    it('PATCH rules: teams outside the org or region 400, team_admin 403, platform/foreign/unknown 404, bad input 422; nothing written', async () => {
      const w = await tenant();
      const other = await tenant();
      const account = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id] }))).json();
      const url = orgUrl(w.org.id, `/${account.id}`);
      const patch = (payload: unknown, headers = mg(w.admin), target = url) =>
        t.request({ method: 'PATCH', url: target, headers, payload: payload as object });
      const count = async () => (await t.request({ method: 'GET', url: `${url}/history`, headers: mg(w.admin) })).json().data.length;
      const before = await count();

      const foreign = await patch({ team_id_allowlist: [w.teamA.id, other.teamA.id] });
      assert.equal(foreign.statusCode, 400);
      assert.equal(foreign.json().code, 'teams_not_in_org');
      assert.deepEqual(foreign.json().team_ids, [other.teamA.id]);
      const region = await patch({ team_id_allowlist: [w.teamEu.id] });
      assert.equal(region.json().code, 'teams_not_in_region');
      assert.deepEqual(region.json().team_ids, [w.teamEu.id]);
      const teamAdmin = await patch({ team_id_allowlist: [] }, mg(w.teamAdmin));
      assert.equal(teamAdmin.statusCode, 403);
      const teamAdminBad = await patch('nonsense', mg(w.teamAdmin));
      assert.equal(teamAdminBad.statusCode, 403, '403 comes before 422');
      const asString = await patch({ team_id_allowlist: w.teamA.id });
      assert.equal(asString.statusCode, 422);
      assert.deepEqual(asString.json().detail[0].loc, ['body', 'team_id_allowlist']);
      assert.equal(asString.json().detail[0].type, 'list_type');
      const badUuid = await patch({ team_id_allowlist: ['nope'] });
      assert.deepEqual(badUuid.json().detail[0].loc, ['body', 'team_id_allowlist', 0]);
      assert.equal(badUuid.json().detail[0].type, 'uuid_parsing');
      const missing = await t.request({ method: 'PATCH', url, headers: mg(w.admin) });
      assert.equal(missing.statusCode, 422);
      assert.deepEqual(missing.json().detail[0].loc, ['body']);
      const text = await t.request({
        method: 'PATCH',
        url,
        headers: { ...mg(w.admin), 'content-type': 'text/plain' },
        payload: 'team_id_allowlist',
      });
      assert.equal(text.statusCode, 422);
      assert.deepEqual(text.json().detail[0].loc, ['body']);
      const invalidJson = await t.request({
        method: 'PATCH',
        url,
        headers: { ...mg(w.admin), 'content-type': 'application/json' },
        payload: '{"team_id_allowlist": [}',
      });
      assert.equal(invalidJson.statusCode, 422);
      assert.equal(invalidJson.json().detail[0].type, 'json_invalid');
      assert.deepEqual(invalidJson.json().detail[0].loc, ['body', 23]);
      const platform = (await createAccount(baseAccount(null, { lab: 'ihd' }))).json();
      const platformPatch = await patch({ team_id_allowlist: [] }, mg(w.admin), orgUrl(w.org.id, `/${platform.id}`));
      assert.equal(platformPatch.statusCode, 404);
      const otherAccount = (await createAccount(baseAccount(other.org.id))).json();
      assert.equal((await patch({ team_id_allowlist: [] }, mg(w.admin), orgUrl(w.org.id, `/${otherAccount.id}`))).statusCode, 404);
      assert.equal((await patch({ team_id_allowlist: [] }, mg(w.admin), orgUrl(other.org.id, `/${otherAccount.id}`))).statusCode, 404);
      assert.equal(
        (await patch({ team_id_allowlist: [] }, mg(w.admin), `/v1/org/${w.org.id}/lab_account/production/us/${account.id}`)).statusCode,
        404,
      );
      assert.equal(
        (await patch({ team_id_allowlist: [] }, mg(w.admin), orgUrl(w.org.id, '/00000000-0000-4000-8000-000000000000'))).statusCode,
        404,
      );
      assert.equal(await count(), before);
      const still = await t.request({ method: 'GET', url, headers: mg(w.admin) });
      assert.deepEqual(still.json().lab_account.team_id_allowlist, [w.teamA.id]);
    });

    it('impact preview names gained, lost (with in-flight orders) and unchanged teams without writing', async () => {
      const w = await tenant();
      const teamC = await seedTeam(t.database.db, w.org.id);
      const account = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id, w.teamB.id] }))).json();
      await seedOrder(t.database.db, { orgId: w.org.id, teamId: w.teamA.id, labAccountId: account.id });
      await seedOrder(t.database.db, { orgId: w.org.id, teamId: w.teamA.id, labAccountId: account.id });
      await seedOrder(t.database.db, {
        orgId: w.org.id,
        teamId: w.teamA.id,
        labAccountId: account.id,
        statusTop: 'completed',
        statusLow: 'completed',
      });
      const res = await t.request({
        method: 'POST',
        url: orgUrl(w.org.id, `/${account.id}/impact`),
        headers: mg(w.admin),
        payload: { team_id_allowlist: [w.teamB.id, teamC.id] },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { gained: [teamC.id], lost: [{ team_id: w.teamA.id, in_flight_orders: 2 }], unchanged: [w.teamB.id] });
      const still = await t.request({ method: 'GET', url: orgUrl(w.org.id, `/${account.id}`), headers: mg(w.admin) });
      assert.deepEqual(still.json().lab_account.team_id_allowlist, [w.teamA.id, w.teamB.id]);
      const denied = await t.request({
        method: 'POST',
        url: orgUrl(w.org.id, `/${account.id}/impact`),
        headers: mg(w.teamAdmin),
        payload: { team_id_allowlist: [] },
      });
      assert.equal(denied.statusCode, 403);
    });

    it('a team_admin reads only accounts linked to its teams', async () => {
      const w = await tenant();
      const a = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id] }))).json();
      const b = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamB.id] }))).json();
      assert.equal((await t.request({ method: 'GET', url: orgUrl(w.org.id, `/${a.id}`), headers: mg(w.teamAdmin) })).statusCode, 404);
      assert.equal((await t.request({ method: 'GET', url: orgUrl(w.org.id, `/${b.id}`), headers: mg(w.teamAdmin) })).statusCode, 200);
      assert.equal(
        (await t.request({ method: 'GET', url: orgUrl(w.org.id, `/${a.id}/history`), headers: mg(w.teamAdmin) })).statusCode,
        404,
      );
    });

    it('lists read their own writes at once, whatever the case of the ids in the path', async () => {
      const w = await tenant();
      const a = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id] }))).json();
      const upper = w.org.id.toUpperCase();
      const list = async () =>
        (await t.request({ method: 'GET', url: orgUrl(upper), headers: mg(w.admin) })).json().data as {
          id: string;
          team_id_allowlist: string[];
          status: string;
        }[];
      const teamList = async () =>
        (await t.request({ method: 'GET', url: '/v3/lab_test/lab_account', headers: { 'x-vital-api-key': w.keyA } })).json().data as {
          id: string;
        }[];
      assert.deepEqual(
        (await list()).map((x) => x.team_id_allowlist),
        [[w.teamA.id]],
      );
      assert.deepEqual(
        (await teamList()).map((x) => x.id),
        [a.id],
      );
      const patched = await t.request({
        method: 'PATCH',
        url: orgUrl(upper, `/${a.id.toUpperCase()}`),
        headers: mg(w.admin),
        payload: { team_id_allowlist: [w.teamB.id] },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.deepEqual(
        (await list()).map((x) => x.team_id_allowlist),
        [[w.teamB.id]],
      );
      assert.deepEqual(await teamList(), []);
      await t.request({ method: 'PATCH', url: `/operator/v1/lab_accounts/${a.id}`, headers: op(), payload: { status: 'suspended' } });
      assert.deepEqual(
        (await list()).map((x) => x.status),
        ['suspended'],
      );
      const b = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id] }))).json();
      assert.deepEqual(
        (await list()).map((x) => x.id),
        [a.id, b.id],
      );
      assert.deepEqual(
        (await teamList()).map((x) => x.id),
        [b.id],
      );
    });
  });

  describe('Team API', () => {
    it('lists only accounts linked to the calling team in its key’s cell, with filters', async () => {
      const w = await tenant();
      const a = (await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamA.id, w.teamB.id] }))).json();
      const suspended = (await createAccount(baseAccount(w.org.id, { status: 'suspended', team_id_allowlist: [w.teamA.id] }))).json();
      await createAccount(baseAccount(w.org.id, { team_id_allowlist: [w.teamB.id] }));
      await createAccount(baseAccount(w.org.id, { env: 'production', team_id_allowlist: [w.teamA.id] }));
      await createAccount(baseAccount(null, { lab: 'my_uti' }));
      const list = await t.request({ method: 'GET', url: '/v3/lab_test/lab_account', headers: { 'x-vital-api-key': w.keyA } });
      assert.equal(list.statusCode, 200);
      assertJunctionSchema('junction', 'GetTeamLabAccountsResponse', list.json());
      assert.deepEqual(
        list.json().data.map((x: { id: string }) => x.id),
        [a.id, suspended.id],
      );
      assert.deepEqual(list.json().data[0].team_id_allowlist, [w.teamA.id, w.teamB.id]);
      const active = await t.request({
        method: 'GET',
        url: '/v3/lab_test/lab_account?status=active',
        headers: { 'x-vital-api-key': w.keyA },
      });
      assert.deepEqual(
        active.json().data.map((x: { id: string }) => x.id),
        [a.id],
      );
      const byId = await t.request({
        method: 'GET',
        url: `/v3/lab_test/lab_account?lab_account_id=${suspended.id}`,
        headers: { 'x-vital-api-key': w.keyA },
      });
      assert.deepEqual(
        byId.json().data.map((x: { id: string }) => x.id),
        [suspended.id],
      );
      const prod = await t.request({ method: 'GET', url: '/v3/lab_test/lab_account', headers: { 'x-vital-api-key': w.prodKeyA } });
      assert.equal(prod.json().data.length, 1);
      const bad = await t.request({ method: 'GET', url: '/v3/lab_test/lab_account?status=nope', headers: { 'x-vital-api-key': w.keyA } });
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(bad.json().detail[0].loc, ['query', 'status']);
      const mgKey = await t.request({ method: 'GET', url: '/v3/lab_test/lab_account', headers: mg(w.admin) });
      assert.equal(mgKey.statusCode, 401);
    });
  });
});
