// The ordered list of migrations. Forward-only: never edit a migration that has shipped; add a new one.
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-orders.js';
import * as m0003 from './0003-users-lab-tests.js';
import * as m0005 from './0005-webhooks.js';
import * as m0006 from './0006-results.js';
import * as m0007 from './0007-order-transaction-index.js';
import * as m0008 from './0008-order-list-index.js';
import * as m0009 from './0009-order-lab-tests-once.js';
import * as m0010 from './0010-orders-insert-vacuum.js';
import * as m0011 from './0011-order-counts.js';
import * as m0012 from './0012-outbox.js';

export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-orders': m0002,
  '0003-users-lab-tests': m0003,
  '0005-webhooks': m0005,
  '0006-results': m0006,
  '0007-order-transaction-index': m0007,
  '0008-order-list-index': m0008,
  '0009-order-lab-tests-once': m0009,
  '0010-orders-insert-vacuum': m0010,
  '0011-order-counts': m0011,
  '0012-outbox': m0012,
};
