#!/usr/bin/env node
// Copies the Junction component schemas our tests validate against out of Junction's published OpenAPI
// documents (../shared/reference/openapi) into test/fixtures/junction/, with their $ref closure and without
// prose. Tests read only the vendored copies. Re-run after adding a root name below.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const ROOTS = {
  'org-management': [
    'ClientFacingLabAccount',
    'LabAccountsResponse',
    'LabAccountResponse',
    'LabAccountTeamIdAllowlistUpdateBody',
    'HTTPValidationError',
    'ClientFacingOrg',
    'ClientFacingOrgTeam',
    'ClientFacingOrgTeamListResponse',
    'ClientFacingOrgTeamListItem',
    'CreateOrgTeamBody',
    'ClientFacingTeamAPIKey',
    'ClientFacingManagementKey',
    'ClientFacingManagementKeyUnhashed',
    'ClientFacingManagementKeyResponse',
    'CreateManagementKeyBody',
    'CreateTeamAccessTokenResponse',
    'ClientFacingTeamAPIKeyResponse',
    'DeleteTeamApiKeysResponse',
    'IntegrationTeamIDConflictResponse',
  ],
  junction: [
    'ClientFacingLabAccount',
    'GetTeamLabAccountsResponse',
    'HTTPValidationError',
    'ClientFacingUser',
    'UserCreateBody',
    'PaginatedUsersResponse',
    'ClientUserIDConflictResponse',
    'ClientFacingLabTest',
    'ClientFacingLab',
    'ClientFacingMarker',
    'LabTestResourcesResponse',
    'CreateOrderRequestCompatible',
    'PostOrderResponse',
    'ClientFacingOrder',
    'GetOrdersResponse',
    'LabResultsRaw',
    'LabResultsMetadata',
    'UnmatchedResult',
    'ListUnmatchedResultResponse',
    'GetUnmatchedResultResponse',
    'ResendWebhookResponse',
    'ClientFacingOrderChanged',
    'ClientFacingCriticalResultIdentified',
    'SimulationFlags',
  ],
};
const SOURCES = {
  'org-management': '../shared/reference/openapi/org-management-api.json',
  junction: '../shared/reference/openapi/junction-api.json',
};
const PROSE = new Set(['description', 'examples', 'example', 'x-fern-sdk-group-name', 'x-fern-sdk-method-name']);

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (PROSE.has(key) && typeof value !== 'object') continue;
      if (key === 'examples' || key === 'example') continue;
      out[key] = strip(value);
    }
    return out;
  }
  return node;
}

function refsOf(node, found = new Set()) {
  if (Array.isArray(node)) {
    for (const n of node) refsOf(n, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.add(value.replace('#/components/schemas/', ''));
      else refsOf(value, found);
    }
  }
  return found;
}

mkdirSync('test/fixtures/junction', { recursive: true });
for (const [name, roots] of Object.entries(ROOTS)) {
  const doc = JSON.parse(readFileSync(SOURCES[name], 'utf8'));
  const all = doc.components.schemas;
  const wanted = new Set();
  const queue = roots.filter((r) => {
    if (!all[r]) console.warn(`${name}: no schema ${r}`);
    return Boolean(all[r]);
  });
  while (queue.length) {
    const next = queue.pop();
    if (wanted.has(next)) continue;
    wanted.add(next);
    for (const ref of refsOf(all[next])) if (!wanted.has(ref)) queue.push(ref);
  }
  const schemas = Object.fromEntries([...wanted].sort().map((k) => [k, strip(all[k])]));
  writeFileSync(
    `test/fixtures/junction/${name}.json`,
    `${JSON.stringify({ openapi: doc.openapi, version: doc.info?.version, schemas }, null, 1)}\n`,
  );
  console.log(`${name}: ${wanted.size} schemas`);
}
