// The checker the API tests rely on (test/support/junction-schema.ts) really accepts Junction's schemas and
// rejects bodies that break them, so a passing API test means a Junction-valid body.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertJunctionSchema } from '../support/junction-schema.js';

describe('Junction schema checker', () => {
  const account = {
    id: '2f8e4f4e-1c2b-4c7d-9a51-0b6f5e2a9d11',
    lab: 'quest',
    org_id: null,
    status: 'active',
    delegated_flow: 'not_delegated',
    provider_account_id: '123',
    allowed_billing: { client_bill: ['CA'] },
    team_id_allowlist: [],
  };
  it('accepts a valid ClientFacingLabAccount', () => {
    assertJunctionSchema('org-management', 'ClientFacingLabAccount', account);
    assertJunctionSchema('junction', 'ClientFacingLabAccount', account);
  });
  it('rejects an invalid one (bad enum, bad state, missing field)', () => {
    assert.throws(() => assertJunctionSchema('org-management', 'ClientFacingLabAccount', { ...account, lab: 'nope' }));
    assert.throws(() =>
      assertJunctionSchema('org-management', 'ClientFacingLabAccount', { ...account, allowed_billing: { client_bill: ['ZZ'] } }),
    );
    const { team_id_allowlist: _omit, ...missing } = account;
    assert.throws(() => assertJunctionSchema('org-management', 'ClientFacingLabAccount', missing));
  });
});
