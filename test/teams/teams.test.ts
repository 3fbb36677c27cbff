// Management API teams: list, create, read and update (`/v1/org/{org_id}/team[/{team_id}]`), for org_admin
// and team_admin keys, with every denied path, validated against Junction's org-management schemas.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { seedManagementKey, seedOrg, seedTeam, seedTeamKey } from '../support/fixtures.js';
import { assertJunctionSchema } from '../support/junction-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DEFAULT_ENVIRONMENT = {
  lab_tests_patient_sms_communication_enabled: true,
  lab_tests_patient_email_communication_enabled: true,
  critical_result_notification_email: null,
  brand_information: null,
  logo_url: null,
  reject_duplicate_connection: false,
  sdk_per_device_activity_timeseries: false,
  partial_webhooks_enabled: false,
  minor_ordering_enabled: false,
};

describe('management API: teams', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  /** A fresh org with an org_admin key, a second org, and helpers bound to them. */
  async function tenant() {
    const db = t.database.db;
    const org = await seedOrg(db);
    const admin = await seedManagementKey(db, org.id);
    const other = await seedOrg(db);
    const otherAdmin = await seedManagementKey(db, other.id);
    return { org, admin, other, otherAdmin };
  }

  const mk = (key: string) => ({ 'x-management-key': key });

  // ------------------------------------------------------------------------------------------ create

  it('POST /team creates a team with Junction defaults in both environments', async () => {
    const { org, admin } = await tenant();
    const res = await t.request({
      method: 'POST',
      url: `/v1/org/${org.id}/team`,
      headers: mk(admin.key),
      payload: { name: 'Cardiology (West) & Co’s', region: 'eu' },
    });
    assert.equal(res.statusCode, 200);
    const team = res.json();
    assertJunctionSchema('org-management', 'ClientFacingOrgTeam', team);
    assert.equal(team.name, 'Cardiology (West) & Co’s');
    assert.equal(team.region, 'eu');
    assert.equal(team.integration_team_id, null);
    assert.deepEqual(team.sandbox, DEFAULT_ENVIRONMENT);
    assert.deepEqual(team.production, DEFAULT_ENVIRONMENT);
    assert.deepEqual([...team.environments].sort(), ['production', 'sandbox']);
    assert.ok(!Number.isNaN(Date.parse(team.created_on)));

    const stored = await t.database.db.selectFrom('teams').selectAll().where('id', '=', team.id).executeTakeFirstOrThrow();
    assert.equal(stored.org_id, org.id);
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', team.id).execute();
    assert.equal(audit[0].action, 'team.created');
    assert.equal(audit[0].actor_key_id, admin.id);
  });

  it('POST /team applies environment fields, a client id and integration_team_id', async () => {
    const { org, admin } = await tenant();
    const id = randomUUID();
    const res = await t.request({
      method: 'POST',
      url: `/v1/org/${org.id}/team`,
      headers: mk(admin.key),
      payload: {
        id,
        name: 'Minors',
        region: 'us',
        integration_team_id: `ext-${id}`,
        minor_ordering_enabled: true,
        partial_webhooks_enabled: true,
        lab_tests_patient_sms_communication_enabled: false,
        critical_result_notification_email: 'alerts@example.com',
        logo_url: 'https://example.com/logo.png',
        brand_information: { company_name: 'Minors Inc' },
      },
    });
    assert.equal(res.statusCode, 200);
    const team = res.json();
    assertJunctionSchema('org-management', 'ClientFacingOrgTeam', team);
    assert.equal(team.id, id);
    assert.equal(team.integration_team_id, `ext-${id}`);
    for (const env of [team.sandbox, team.production]) {
      assert.equal(env.minor_ordering_enabled, true);
      assert.equal(env.partial_webhooks_enabled, true);
      assert.equal(env.lab_tests_patient_sms_communication_enabled, false);
      assert.equal(env.lab_tests_patient_email_communication_enabled, true);
      assert.equal(env.critical_result_notification_email, 'alerts@example.com');
      assert.equal(env.logo_url, 'https://example.com/logo.png');
      assert.deepEqual(env.brand_information, {
        company_name: 'Minors Inc',
        company_website: '',
        support_email: 'help@tryvital.io',
        support_contact: '',
        company_address: '',
        brand_color: '',
      });
    }
  });

  it('POST /team with a duplicate integration_team_id is 409 {team_id} of the existing team', async () => {
    const { org, admin, other, otherAdmin } = await tenant();
    const first = await t.request({
      method: 'POST',
      url: `/v1/org/${org.id}/team`,
      headers: mk(admin.key),
      payload: { name: 'First', region: 'us', integration_team_id: 'dup-1' },
    });
    assert.equal(first.statusCode, 200);
    const dup = await t.request({
      method: 'POST',
      url: `/v1/org/${org.id}/team`,
      headers: mk(admin.key),
      payload: { name: 'Second', region: 'eu', integration_team_id: 'dup-1' },
    });
    assert.equal(dup.statusCode, 409);
    assert.deepEqual(dup.json(), { team_id: first.json().id });
    assertJunctionSchema('org-management', 'IntegrationTeamIDConflictResponse', dup.json());
    const count = await t.database.db.selectFrom('teams').select('id').where('org_id', '=', org.id).execute();
    assert.equal(count.length, 1);

    // Integration ids are per org: another org may use the same one.
    const elsewhere = await t.request({
      method: 'POST',
      url: `/v1/org/${other.id}/team`,
      headers: mk(otherAdmin.key),
      payload: { name: 'Theirs', region: 'us', integration_team_id: 'dup-1' },
    });
    assert.equal(elsewhere.statusCode, 200);
  });

  it('concurrent creations with one integration_team_id: one team, the others 409 naming it', async () => {
    const { org, admin } = await tenant();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        t.request({
          method: 'POST',
          url: `/v1/org/${org.id}/team`,
          headers: mk(admin.key),
          payload: { name: `Racer ${i}`, region: 'us', integration_team_id: 'race' },
        }),
      ),
    );
    const winners = results.filter((r) => r.statusCode === 200);
    assert.equal(winners.length, 1);
    for (const loser of results.filter((r) => r.statusCode !== 200)) {
      assert.equal(loser.statusCode, 409);
      assert.deepEqual(loser.json(), { team_id: winners[0].json().id });
    }
    const rows = await t.database.db.selectFrom('teams').select('id').where('org_id', '=', org.id).execute();
    assert.equal(rows.length, 1);
  });

  it('POST /team with an id already taken is 409 conflict', async () => {
    const { org, admin, other } = await tenant();
    const existing = await seedTeam(t.database.db, other.id);
    const res = await t.request({
      method: 'POST',
      url: `/v1/org/${org.id}/team`,
      headers: mk(admin.key),
      payload: { id: existing.id, name: 'Copy', region: 'us' },
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'conflict');
  });

  it('POST /team validates the body: extra fields, name pattern, region, types (422 with loc)', async () => {
    const { org, admin } = await tenant();
    const post = (payload: unknown) =>
      t.request({ method: 'POST', url: `/v1/org/${org.id}/team`, headers: mk(admin.key), payload: payload as object });

    const extra = await post({ name: 'A', region: 'us', delegated_flow: 'x' });
    assert.equal(extra.statusCode, 422);
    assert.deepEqual(extra.json().detail, [
      { type: 'extra_forbidden', loc: ['body', 'delegated_flow'], msg: 'Extra inputs are not permitted', input: 'x' },
    ]);

    const missing = await post({});
    assert.deepEqual(
      missing.json().detail.map((d: { loc: unknown }) => d.loc),
      [
        ['body', 'name'],
        ['body', 'region'],
      ],
    );
    assert.ok(missing.json().detail.every((d: { type: string }) => d.type === 'missing'));

    const pattern = await post({ name: 'x'.repeat(81), region: 'us' });
    assert.equal(pattern.json().detail[0].type, 'string_pattern_mismatch');
    assert.deepEqual(pattern.json().detail[0].loc, ['body', 'name']);

    const region = await post({ name: 'A', region: 'asia' });
    assert.deepEqual(region.json().detail[0], {
      type: 'enum',
      loc: ['body', 'region'],
      msg: "Input should be 'us' or 'eu'",
      input: 'asia',
      ctx: { expected: "'us' or 'eu'" },
    });

    const email = await post({ name: 'A', region: 'us', critical_result_notification_email: 'not-an-email' });
    assert.deepEqual(email.json().detail[0].loc, ['body', 'critical_result_notification_email']);

    const flag = await post({ name: 'A', region: 'us', minor_ordering_enabled: 'maybe' });
    assert.equal(flag.json().detail[0].type, 'bool_parsing');
    assert.deepEqual(flag.json().detail[0].loc, ['body', 'minor_ordering_enabled']);

    const brand = await post({ name: 'A', region: 'us', brand_information: { company_website: 'x' } });
    assert.deepEqual(brand.json().detail[0].loc, ['body', 'brand_information', 'company_name']);

    const longId = await post({ name: 'A', region: 'us', integration_team_id: 'x'.repeat(257) });
    assert.equal(longId.json().detail[0].type, 'string_too_long');

    const badId = await post({ name: 'A', region: 'us', id: 'nope' });
    assert.equal(badId.json().detail[0].type, 'uuid_parsing');
    assert.deepEqual(badId.json().detail[0].loc, ['body', 'id']);

    const count = await t.database.db.selectFrom('teams').select('id').where('org_id', '=', org.id).execute();
    assert.equal(count.length, 0, 'nothing written on 422');
  });

  it('POST /team: team_admin 403, other org 404, wrong kinds 401, 403 before 422', async () => {
    const { org, other } = await tenant();
    const team = await seedTeam(t.database.db, org.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]);
    const admin = await seedManagementKey(t.database.db, org.id);
    const tk = await seedTeamKey(t.database.db, team);

    const forbidden = await t.request({
      method: 'POST',
      url: `/v1/org/${org.id}/team`,
      headers: mk(teamAdmin.key),
      payload: { name: 'X', region: 'us' },
    });
    assert.equal(forbidden.statusCode, 403);
    const forbiddenFirst = await t.request({
      method: 'POST',
      url: `/v1/org/${org.id}/team`,
      headers: mk(teamAdmin.key),
      payload: { bogus: true },
    });
    assert.equal(forbiddenFirst.statusCode, 403);

    const foreign = await t.request({
      method: 'POST',
      url: `/v1/org/${other.id}/team`,
      headers: mk(admin.key),
      payload: { name: 'X', region: 'us' },
    });
    assert.equal(foreign.statusCode, 404);
    const otherTeams = await t.database.db.selectFrom('teams').select('id').where('org_id', '=', other.id).execute();
    assert.equal(otherTeams.length, 0);

    for (const headers of [{}, { 'x-vital-api-key': tk.key }, { 'x-operator-key': t.operatorKey }]) {
      const res = await t.request({ method: 'POST', url: `/v1/org/${org.id}/team`, headers, payload: { name: 'X', region: 'us' } });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
    }
  });

  // ------------------------------------------------------------------------------------------ list

  it('GET /team lists the org’s teams; filters by team_id, region and search_query', async () => {
    const { org, admin, other } = await tenant();
    const db = t.database.db;
    const a = await seedTeam(db, org.id, { region: 'us', name: 'Alpha Clinic' });
    const b = await seedTeam(db, org.id, { region: 'eu', name: 'Beta 100% Lab' });
    const c = await seedTeam(db, org.id, { region: 'us', name: 'gamma_alpha' });
    await seedTeam(db, other.id, { name: 'Alpha Elsewhere' });

    const all = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team`, headers: mk(admin.key) });
    assert.equal(all.statusCode, 200);
    assertJunctionSchema('org-management', 'ClientFacingOrgTeamListResponse', all.json());
    assert.deepEqual(
      all.json().teams.map((x: { id: string }) => x.id),
      [a.id, b.id, c.id],
    );
    assert.equal(all.json().next_cursor, null);
    assert.deepEqual(Object.keys(all.json().teams[0]).sort(), ['created_on', 'id', 'integration_team_id', 'name', 'region']);

    const eu = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team?region=eu`, headers: mk(admin.key) });
    assert.deepEqual(
      eu.json().teams.map((x: { id: string }) => x.id),
      [b.id],
    );
    const both = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team?region=eu&region=us`, headers: mk(admin.key) });
    assert.equal(both.json().teams.length, 3);

    const byId = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team?team_id=${c.id}`, headers: mk(admin.key) });
    assert.deepEqual(
      byId.json().teams.map((x: { id: string }) => x.id),
      [c.id],
    );

    const search = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team?search_query=ALPHA`, headers: mk(admin.key) });
    assert.deepEqual(
      search.json().teams.map((x: { id: string }) => x.id),
      [a.id, c.id],
    );
    // `_` is a literal underscore, not a LIKE wildcard.
    const underscore = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team?search_query=a_a`, headers: mk(admin.key) });
    assert.deepEqual(
      underscore.json().teams.map((x: { id: string }) => x.id),
      [c.id],
    );
  });

  it('GET /team pages by 50 with an opaque next_cursor', async () => {
    const { org, admin } = await tenant();
    const ids: string[] = [];
    for (let i = 0; i < 53; i += 1) ids.push((await seedTeam(t.database.db, org.id)).id);
    const first = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team`, headers: mk(admin.key) });
    assert.equal(first.json().teams.length, 50);
    assert.equal(typeof first.json().next_cursor, 'string');
    const second = await t.request({
      method: 'GET',
      url: `/v1/org/${org.id}/team?next_cursor=${encodeURIComponent(first.json().next_cursor)}`,
      headers: mk(admin.key),
    });
    assertJunctionSchema('org-management', 'ClientFacingOrgTeamListResponse', second.json());
    assert.equal(second.json().teams.length, 3);
    assert.equal(second.json().next_cursor, null);
    assert.deepEqual(
      [...first.json().teams, ...second.json().teams].map((x: { id: string }) => x.id),
      ids,
    );
  });

  it('GET /team: team_admin sees only its bound teams', async () => {
    const { org } = await tenant();
    const a = await seedTeam(t.database.db, org.id);
    const b = await seedTeam(t.database.db, org.id);
    await seedTeam(t.database.db, org.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [a.id, b.id]);
    const res = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team`, headers: mk(teamAdmin.key) });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.json().teams.map((x: { id: string }) => x.id),
      [a.id, b.id],
    );
    const unbound = await seedManagementKey(t.database.db, org.id, 'team_admin', []);
    const none = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team`, headers: mk(unbound.key) });
    assert.deepEqual(none.json(), { teams: [], next_cursor: null });
  });

  it('GET /team: 422 for malformed query values, 404 for another org, 401 without a management key', async () => {
    const { org, admin, other } = await tenant();
    const get = (query: string, key = admin.key, orgId = org.id) =>
      t.request({ method: 'GET', url: `/v1/org/${orgId}/team${query}`, headers: mk(key) });

    const region = await get('?region=us&region=mars');
    assert.equal(region.statusCode, 422);
    assert.deepEqual(region.json().detail[0].loc, ['query', 'region', 1]);
    assert.equal(region.json().detail[0].type, 'enum');

    const teamId = await get('?team_id=abc');
    assert.deepEqual(teamId.json().detail[0].loc, ['query', 'team_id']);
    assert.equal(teamId.json().detail[0].type, 'uuid_parsing');

    const cursor = await get('?next_cursor=garbage');
    assert.equal(cursor.statusCode, 422);
    assert.deepEqual(cursor.json().detail[0].loc, ['query', 'next_cursor']);
    const forged = await get(`?next_cursor=${Buffer.from(JSON.stringify({ after: '1; drop' })).toString('base64url')}`);
    assert.equal(forged.statusCode, 422);

    const search = await get('?search_query=%3Cscript%3E');
    assert.equal(search.json().detail[0].type, 'string_pattern_mismatch');

    const foreign = await get('', admin.key, other.id);
    assert.equal(foreign.statusCode, 404);

    const none = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team` });
    assert.equal(none.statusCode, 401);
  });

  // ------------------------------------------------------------------------------------------ read

  it('GET /team/{team_id} answers ClientFacingOrgTeam; include_environment selects environments', async () => {
    const { org, admin } = await tenant();
    const team = await seedTeam(t.database.db, org.id, { region: 'eu', settings: { minor_ordering_enabled: true } });
    const res = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${team.id}`, headers: mk(admin.key) });
    assert.equal(res.statusCode, 200);
    assertJunctionSchema('org-management', 'ClientFacingOrgTeam', res.json());
    assert.equal(res.json().id, team.id);
    assert.equal(res.json().region, 'eu');
    assert.equal(res.json().sandbox.minor_ordering_enabled, true);
    assert.deepEqual(res.json().production, { ...DEFAULT_ENVIRONMENT, minor_ordering_enabled: true });

    const onlySandbox = await t.request({
      method: 'GET',
      url: `/v1/org/${org.id}/team/${team.id}?include_environment=sandbox`,
      headers: mk(admin.key),
    });
    assertJunctionSchema('org-management', 'ClientFacingOrgTeam', onlySandbox.json());
    assert.notEqual(onlySandbox.json().sandbox, null);
    assert.equal(onlySandbox.json().production, null);

    const bad = await t.request({
      method: 'GET',
      url: `/v1/org/${org.id}/team/${team.id}?include_environment=staging`,
      headers: mk(admin.key),
    });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['query', 'include_environment', 0]);
  });

  it('GET /team/{team_id}: team_admin reads bound teams only; other orgs’ teams are 404', async () => {
    const { org, admin, other } = await tenant();
    const bound = await seedTeam(t.database.db, org.id);
    const unbound = await seedTeam(t.database.db, org.id);
    const foreignTeam = await seedTeam(t.database.db, other.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [bound.id]);

    const ok = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${bound.id}`, headers: mk(teamAdmin.key) });
    assert.equal(ok.statusCode, 200);
    const hidden = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${unbound.id}`, headers: mk(teamAdmin.key) });
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().code, 'team_not_found');

    // Another org's team, addressed under our org or under theirs, is 404.
    const underOurs = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${foreignTeam.id}`, headers: mk(admin.key) });
    assert.equal(underOurs.statusCode, 404);
    const underTheirs = await t.request({ method: 'GET', url: `/v1/org/${other.id}/team/${foreignTeam.id}`, headers: mk(admin.key) });
    assert.equal(underTheirs.statusCode, 404);
    const ghost = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${randomUUID()}`, headers: mk(admin.key) });
    assert.deepEqual({ ...(ghost.json() as object), request_id: null }, { ...(underOurs.json() as object), request_id: null });

    const malformed = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/xyz`, headers: mk(admin.key) });
    assert.equal(malformed.statusCode, 422);
    assert.deepEqual(malformed.json().detail[0].loc, ['path', 'team_id']);
    const tk = await seedTeamKey(t.database.db, bound);
    const wrongKind = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${bound.id}`, headers: { 'x-vital-api-key': tk.key } });
    assert.equal(wrongKind.statusCode, 401);
  });

  // ------------------------------------------------------------------------------------------ update

  it('PATCH /team/{team_id} updates name and partial environment settings, audited', async () => {
    const { org, admin } = await tenant();
    const team = await seedTeam(t.database.db, org.id, { settings: { critical_result_notification_email: 'old@example.com' } });
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}/team/${team.id}`,
      headers: mk(admin.key),
      payload: {
        name: 'Renamed Team',
        production: { minor_ordering_enabled: true, partial_webhooks_enabled: true, patient_experience: true, unknown_setting: 1 },
        sandbox: { lab_tests_patient_email_communication_enabled: false, reject_duplicate_connection: null },
      },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assertJunctionSchema('org-management', 'ClientFacingOrgTeam', body);
    assert.equal(body.name, 'Renamed Team');
    assert.deepEqual(body.production, {
      ...DEFAULT_ENVIRONMENT,
      critical_result_notification_email: 'old@example.com',
      minor_ordering_enabled: true,
      partial_webhooks_enabled: true,
    });
    assert.deepEqual(body.sandbox, {
      ...DEFAULT_ENVIRONMENT,
      critical_result_notification_email: 'old@example.com',
      lab_tests_patient_email_communication_enabled: false,
    });

    const reread = await t.request({ method: 'GET', url: `/v1/org/${org.id}/team/${team.id}`, headers: mk(admin.key) });
    assert.deepEqual(reread.json(), body);

    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', team.id).orderBy('seq').execute();
    const entry = audit.at(-1)!;
    assert.equal(entry.action, 'team.updated');
    assert.equal((entry.before as { name: string }).name, team.name);
    assert.equal((entry.after as { name: string }).name, 'Renamed Team');
  });

  it('PATCH /team/{team_id}: null clears optional values, brand fields merge, brand without company_name is 400', async () => {
    const { org, admin } = await tenant();
    const team = await seedTeam(t.database.db, org.id, { settings: { critical_result_notification_email: 'a@example.com' } });
    const patch = (payload: object) =>
      t.request({ method: 'PATCH', url: `/v1/org/${org.id}/team/${team.id}`, headers: mk(admin.key), payload });

    const noBrand = await patch({ sandbox: { brand_information: { brand_color: '#fff' } } });
    assert.equal(noBrand.statusCode, 400);
    assert.equal(noBrand.json().code, 'bad_request');

    const brand = await patch({
      sandbox: { brand_information: { company_name: 'Acme', brand_color: '#fff' }, critical_result_notification_email: null },
    });
    assert.equal(brand.statusCode, 200);
    assert.equal(brand.json().sandbox.brand_information.company_name, 'Acme');
    assert.equal(brand.json().sandbox.brand_information.support_email, 'help@tryvital.io');
    assert.equal(brand.json().sandbox.critical_result_notification_email, null);
    assert.equal(brand.json().production.critical_result_notification_email, 'a@example.com');

    const merged = await patch({ sandbox: { brand_information: { support_email: 'care@acme.test', company_name: null } } });
    assert.deepEqual(merged.json().sandbox.brand_information, {
      company_name: 'Acme',
      company_website: '',
      support_email: 'care@acme.test',
      support_contact: '',
      company_address: '',
      brand_color: '#fff',
    });
    const cleared = await patch({ sandbox: { brand_information: null } });
    assert.equal(cleared.json().sandbox.brand_information, null);
  });

  it('PATCH /team/{team_id}: integration_team_id conflicts are 409 {team_id}; null clears it', async () => {
    const { org, admin } = await tenant();
    const taken = await t.request({
      method: 'POST',
      url: `/v1/org/${org.id}/team`,
      headers: mk(admin.key),
      payload: { name: 'Holder', region: 'us', integration_team_id: 'ext-A' },
    });
    const team = await seedTeam(t.database.db, org.id);
    const conflict = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}/team/${team.id}`,
      headers: mk(admin.key),
      payload: { integration_team_id: 'ext-A', name: 'Changed' },
    });
    assert.equal(conflict.statusCode, 409);
    assert.deepEqual(conflict.json(), { team_id: taken.json().id });
    const unchanged = await t.database.db.selectFrom('teams').select('name').where('id', '=', team.id).executeTakeFirstOrThrow();
    assert.equal(unchanged.name, team.name);

    // Setting a team's own id again is no conflict; null clears it.
    const same = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}/team/${taken.json().id}`,
      headers: mk(admin.key),
      payload: { integration_team_id: 'ext-A' },
    });
    assert.equal(same.statusCode, 200);
    const clear = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}/team/${taken.json().id}`,
      headers: mk(admin.key),
      payload: { integration_team_id: null },
    });
    assert.equal(clear.json().integration_team_id, null);
    const reuse = await t.request({
      method: 'PATCH',
      url: `/v1/org/${org.id}/team/${team.id}`,
      headers: mk(admin.key),
      payload: { integration_team_id: 'ext-A' },
    });
    assert.equal(reuse.statusCode, 200);
    assert.equal(reuse.json().integration_team_id, 'ext-A');
  });

  it('PATCH /team/{team_id}: 422 extra fields and bad values, 403 team_admin, 404 other org or unknown team', async () => {
    const { org, admin, other } = await tenant();
    const team = await seedTeam(t.database.db, org.id);
    const foreignTeam = await seedTeam(t.database.db, other.id);
    const teamAdmin = await seedManagementKey(t.database.db, org.id, 'team_admin', [team.id]);
    const patch = (payload: object, key = admin.key, teamId = team.id, orgId = org.id) =>
      t.request({ method: 'PATCH', url: `/v1/org/${orgId}/team/${teamId}`, headers: mk(key), payload });

    const extra = await patch({ region: 'eu' });
    assert.equal(extra.statusCode, 422);
    assert.deepEqual(extra.json().detail, [
      { type: 'extra_forbidden', loc: ['body', 'region'], msg: 'Extra inputs are not permitted', input: 'eu' },
    ]);

    const email = await patch({ production: { critical_result_notification_email: 'nope' } });
    assert.equal(email.statusCode, 422);
    assert.deepEqual(email.json().detail[0].loc, ['body', 'production', 'critical_result_notification_email']);

    const flag = await patch({ sandbox: { minor_ordering_enabled: 'sure' } });
    assert.deepEqual(flag.json().detail[0].loc, ['body', 'sandbox', 'minor_ordering_enabled']);

    const envType = await patch({ sandbox: 'on' });
    assert.deepEqual(envType.json().detail[0].loc, ['body', 'sandbox']);

    const forbidden = await patch({ name: 'Mine now' }, teamAdmin.key);
    assert.equal(forbidden.statusCode, 403);

    const foreign = await patch({ name: 'Hijack' }, admin.key, foreignTeam.id);
    assert.equal(foreign.statusCode, 404);
    const foreignOrg = await patch({ name: 'Hijack' }, admin.key, foreignTeam.id, other.id);
    assert.equal(foreignOrg.statusCode, 404);
    const still = await t.database.db.selectFrom('teams').select('name').where('id', '=', foreignTeam.id).executeTakeFirstOrThrow();
    assert.equal(still.name, foreignTeam.name);
    const ghost = await patch({ name: 'Ghost' }, admin.key, randomUUID());
    assert.equal(ghost.statusCode, 404);
  });
});
