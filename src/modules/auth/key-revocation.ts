// Announces revoked or changed keys to every instance (NOTIFY in the revoking transaction, delivered on
// commit) and evicts them from the principal cache, so revocation takes effect at once everywhere.
import { sql } from 'kysely';
import type { DatabaseHandle, Queryable } from '../../db/database.js';
import { KEY_REVOKED_CHANNEL, principalCache } from './principal-cache.js';

// NOTIFY payloads are limited to 8000 bytes: 200 uuids (37 bytes each with the comma) fit comfortably.
const IDS_PER_NOTIFY = 200;

/** Call inside the transaction that deletes or changes the keys; the notification is sent only on commit. */
export async function announceKeyRevocation(tx: Queryable, keyIds: string[]): Promise<void> {
  for (let i = 0; i < keyIds.length; i += IDS_PER_NOTIFY) {
    const payload = keyIds.slice(i, i + IDS_PER_NOTIFY).join(',');
    await sql`select pg_notify(${KEY_REVOKED_CHANNEL}, ${payload})`.execute(tx);
  }
}

/** Call after the revoking transaction committed: this instance forgets the keys without waiting for NOTIFY. */
export function evictRevokedKeys(keyIds: string[]): void {
  principalCache.evictKeyIds(keyIds);
}

/** Subscribes this instance to revocations announced by any instance. Returns the unsubscribe function. */
export function listenForKeyRevocations(database: DatabaseHandle): Promise<() => Promise<void>> {
  return database.subscribe(
    KEY_REVOKED_CHANNEL,
    (payload) => {
      principalCache.evictKeyIds(payload.split(',').filter((id) => id.length > 0));
    },
    () => principalCache.clear(),
  );
}
