// Start-up work that must happen before the first request: migrations and the operator key.
import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from './db/database.js';
import { OPERATOR_KEY_PREFIX } from './modules/auth/authenticate.js';
import { newKeyMaterial, saltAndHash, verifyKey } from './modules/auth/key-material.js';

/** Result of ensuring an operator key: `generated` is set only when a new key was made (print it once). */
export interface OperatorKeyOutcome {
  generated?: string;
}

/**
 * Makes sure an operator key exists. LABROUTE_OPERATOR_KEY, when set, is stored (hashed) unless already
 * present; when unset and none exists yet, a key is generated and returned so the caller can print it once.
 */
export async function ensureOperatorKey(database: DatabaseHandle, configuredKey: string | undefined): Promise<OperatorKeyOutcome> {
  const rows = await database.db.selectFrom('operator_keys').select(['id', 'salt', 'key_hash']).execute();
  if (configuredKey) {
    if (rows.some((row) => verifyKey(configuredKey, row.salt, row.key_hash))) return {};
    const material = saltAndHash(configuredKey);
    await database.db
      .insertInto('operator_keys')
      .values({ id: randomUUID(), label: 'LABROUTE_OPERATOR_KEY', salt: material.salt, key_hash: material.hash })
      .execute();
    return {};
  }
  if (rows.length > 0) return {};
  const material = newKeyMaterial(OPERATOR_KEY_PREFIX);
  await database.db
    .insertInto('operator_keys')
    .values({ id: randomUUID(), label: 'generated at first start', salt: material.salt, key_hash: material.hash })
    .execute();
  return { generated: material.key };
}
