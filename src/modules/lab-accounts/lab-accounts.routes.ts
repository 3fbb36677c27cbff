// Routes of lab accounts: the operator's CRUD, the Management API's list and Update Lab Account Teams (with
// Labroute's GET/ETag, If-Match, history and impact extensions), and the Team API's own list.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../domain/errors.js';
import { CursorParam, decodeCursor, encodeCursor } from '../../http/cursor.js';
import { errorResponses } from '../../http/error-responses.js';
import { undocumented } from '../../http/openapi-style.js';
import { Env, LabAccountStatus, Labs, OrgCellParams, queryArray, queryInt, queryOne, Region, Uuid } from '../../http/wire.js';
import type { TeamPrincipal } from '../auth/principal.js';
import { assertOrgInScope, MANAGEMENT_SECURITY, managementCaller } from '../orgs/org-access.js';
import { createLabAccount } from './create-lab-account.js';
import { accountHistory, findAccounts, toClientFacing } from './lab-accounts.repository.js';
import {
  ClientFacingLabAccount,
  CreateLabAccountBody,
  GetTeamLabAccountsResponse,
  LabAccountHistoryResponse,
  LabAccountImpactResponse,
  LabAccountResponse,
  LabAccountsResponse,
  LabAccountTeamIdAllowlistUpdateBody,
  UpdateLabAccountBody,
} from './lab-accounts.schemas.js';
import { cachedTeamCell, teamLinkedAccounts } from './team-visibility.js';
import { updateLabAccount } from './update-lab-account.js';
import { getOrgLabAccount, previewLabAccountTeams, updateLabAccountTeams } from './update-lab-account-teams.js';

const AccountParams = OrgCellParams.extend({ account_id: Uuid });
const TAGS = ['Team Lab Accounts'];
// If-Match (Labroute's optimistic concurrency on the PATCH) is validated but not a documented parameter: the
// operation's parameters are Junction's (seed 002). The operation's description tells about it.
const IfMatchHeaders = z.object({ 'if-match': undocumented(z.string().max(1000)).optional() }).loose();

export const labAccountsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.deps.database.db;

  // --- Operator API ---------------------------------------------------------------------------------------
  app.post(
    '/operator/v1/lab_accounts',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        operationId: 'operator_create_lab_account',
        summary: 'Create a lab account (org or platform)',
        tags: ['Operator'],
        body: CreateLabAccountBody,
        response: { 201: ClientFacingLabAccount, ...errorResponses(400, 401, 404, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const account = await createLabAccount({
        db: db(),
        labAccountCache: app.labAccountCache,
        labAccountEvents: app.labAccountEvents,
        principal: request.principal,
        body: request.body,
      });
      return reply.code(201).send(account);
    },
  );

  app.get(
    '/operator/v1/lab_accounts',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        operationId: 'operator_list_lab_accounts',
        summary: 'List lab accounts',
        tags: ['Operator'],
        querystring: z.object({
          org_id: queryOne(Uuid),
          env: queryOne(Env),
          region: queryOne(Region),
          lab: queryOne(Labs),
          status: queryArray(LabAccountStatus),
        }),
        response: { 200: z.object({ data: z.array(ClientFacingLabAccount) }), ...errorResponses(401, 422) },
      },
    },
    async (request) => {
      const q = request.query;
      const accounts = await findAccounts(db(), { orgId: q.org_id, env: q.env, region: q.region, lab: q.lab, statuses: q.status });
      return { data: accounts.map(toClientFacing) };
    },
  );

  app.get(
    '/operator/v1/lab_accounts/:id',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        operationId: 'operator_get_lab_account',
        summary: 'Get a lab account',
        tags: ['Operator'],
        params: z.object({ id: Uuid }),
        response: { 200: ClientFacingLabAccount, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const [account] = await findAccounts(db(), { ids: [request.params.id] });
      if (!account) throw notFound('lab_account_not_found', 'Lab account');
      return toClientFacing(account);
    },
  );

  app.patch(
    '/operator/v1/lab_accounts/:id',
    {
      config: { auth: { kind: 'operator' } },
      schema: {
        operationId: 'operator_update_lab_account',
        summary: 'Change a lab account’s status or configuration',
        tags: ['Operator'],
        params: z.object({ id: Uuid }),
        body: UpdateLabAccountBody,
        response: { 200: ClientFacingLabAccount, ...errorResponses(400, 401, 404, 409, 413, 422) },
      },
    },
    async (request) =>
      updateLabAccount({
        db: db(),
        labAccountCache: app.labAccountCache,
        labAccountEvents: app.labAccountEvents,
        principal: request.principal,
        id: request.params.id,
        body: request.body,
      }),
  );

  // --- Management API -------------------------------------------------------------------------------------
  app.get(
    '/v1/org/:org_id/lab_account/:env/:region',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'get_lab_accounts_v1_org__org_id__lab_account__env___region__get',
        summary: 'Get Lab Accounts',
        tags: TAGS,
        params: OrgCellParams,
        querystring: z.object({ lab_account_id: queryOne(Uuid), team_id: queryOne(Uuid), status: queryOne(LabAccountStatus) }),
        response: { 200: LabAccountsResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const principal = managementCaller(request.principal);
      const { org_id, env, region } = request.params;
      assertOrgInScope(principal, org_id);
      const q = request.query;
      const bound = principal.role === 'team_admin' ? principal.teamIds : undefined;
      if (bound && q.team_id && !bound.includes(q.team_id)) return { data: [] };
      const accounts = (await app.labAccountCache.cell(org_id, env, region)).filter(
        (a) =>
          (!q.lab_account_id || a.id === q.lab_account_id) &&
          (!q.status || a.status === q.status) &&
          (!q.team_id || a.team_id_allowlist.includes(q.team_id)) &&
          (!bound || a.team_id_allowlist.some((id) => bound.includes(id))),
      );
      return { data: accounts.map(toClientFacing) };
    },
  );

  app.get(
    '/v1/org/:org_id/lab_account/:env/:region/:account_id',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'get_lab_account',
        summary: 'Get one lab account with its ETag (Labroute extension)',
        tags: TAGS,
        params: AccountParams,
        response: { 200: LabAccountResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const { org_id, env, region, account_id } = request.params;
      const { account, etag } = await getOrgLabAccount({
        db: db(),
        principal: managementCaller(request.principal),
        orgId: org_id,
        cell: { env, region },
        accountId: account_id,
      });
      reply.header('etag', etag);
      return { lab_account: account };
    },
  );

  app.patch(
    '/v1/org/:org_id/lab_account/:env/:region/:account_id',
    {
      config: { auth: { kind: 'management', roles: ['org_admin'] } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'update_lab_account_team_id_allowlist_v1_org__org_id__lab_account__env___region___account_id__patch',
        summary: 'Update Lab Account Team Id Allowlist',
        description:
          'Labroute extension: the response carries an `ETag`; a request with `If-Match` (a previous ETag) is applied only ' +
          'if the account has not changed since, and is a 412 `precondition_failed` otherwise.',
        tags: TAGS,
        params: AccountParams,
        headers: IfMatchHeaders,
        body: LabAccountTeamIdAllowlistUpdateBody,
        response: { 200: LabAccountResponse, ...errorResponses(400, 401, 403, 404, 412, 413, 422) },
      },
    },
    async (request, reply) => {
      const { org_id, env, region, account_id } = request.params;
      const { account, etag } = await updateLabAccountTeams({
        db: db(),
        labAccountCache: app.labAccountCache,
        labAccountEvents: app.labAccountEvents,
        principal: managementCaller(request.principal),
        orgId: org_id,
        cell: { env, region },
        accountId: account_id,
        teamIds: request.body.team_id_allowlist,
        ifMatch: request.headers['if-match'] as string | undefined,
      });
      reply.header('etag', etag);
      return { lab_account: account };
    },
  );

  app.post(
    '/v1/org/:org_id/lab_account/:env/:region/:account_id/impact',
    {
      config: { auth: { kind: 'management', roles: ['org_admin'] } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'preview_lab_account_team_id_allowlist',
        summary: 'Preview which teams a team_id_allowlist change would affect (Labroute extension)',
        tags: TAGS,
        params: AccountParams,
        body: LabAccountTeamIdAllowlistUpdateBody,
        response: { 200: LabAccountImpactResponse, ...errorResponses(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request) => {
      const { org_id, env, region, account_id } = request.params;
      return previewLabAccountTeams({
        db: db(),
        principal: managementCaller(request.principal),
        orgId: org_id,
        cell: { env, region },
        accountId: account_id,
        teamIds: request.body.team_id_allowlist,
      });
    },
  );

  app.get(
    '/v1/org/:org_id/lab_account/:env/:region/:account_id/history',
    {
      config: { auth: { kind: 'management' } },
      schema: {
        security: MANAGEMENT_SECURITY,
        operationId: 'get_lab_account_history',
        summary: 'Audit history of a lab account (Labroute extension)',
        tags: TAGS,
        params: AccountParams,
        querystring: z.object({ next_cursor: queryOne(CursorParam), limit: queryInt({ min: 1, max: 100, default: 50 }) }),
        response: { 200: LabAccountHistoryResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const { org_id, env, region, account_id } = request.params;
      await getOrgLabAccount({
        db: db(),
        principal: managementCaller(request.principal),
        orgId: org_id,
        cell: { env, region },
        accountId: account_id,
      });
      const limit = request.query.limit ?? 50;
      const before = request.query.next_cursor ? String(decodeCursor(request.query.next_cursor)?.after) : undefined;
      const rows = await accountHistory(db(), account_id, { before, limit });
      const page = rows.slice(0, limit);
      return {
        data: page.map((row) => ({
          id: row.id,
          at: new Date(row.at).toISOString(),
          actor: { kind: row.actor_kind, key_id: row.actor_key_id },
          action: row.action,
          before: (row.before ?? null) as z.infer<typeof ClientFacingLabAccount> | null,
          after: (row.after ?? null) as z.infer<typeof ClientFacingLabAccount> | null,
        })),
        next_cursor: rows.length > limit ? encodeCursor({ after: String(page[page.length - 1].seq) }) : null,
      };
    },
  );

  // --- Team API -------------------------------------------------------------------------------------------
  app.get(
    '/v3/lab_test/lab_account',
    {
      config: { auth: { kind: 'team' } },
      schema: {
        operationId: 'get_team_lab_accounts_v3_lab_test_lab_account_get',
        summary: 'Get Team Lab Accounts',
        tags: ['lab_account'],
        querystring: z.object({ lab_account_id: queryOne(Uuid), status: queryOne(LabAccountStatus) }),
        response: { 200: GetTeamLabAccountsResponse, ...errorResponses(401, 422) },
      },
    },
    async (request) => {
      const p = request.principal as TeamPrincipal;
      const q = request.query;
      const accounts = teamLinkedAccounts(await cachedTeamCell(app.labAccountCache, p), p).filter(
        (a) => (!q.lab_account_id || a.id === q.lab_account_id) && (!q.status || a.status === q.status),
      );
      return { data: accounts.map(toClientFacing) };
    },
  );
};
