// Caches each org's lab accounts per cell (and each cell's platform accounts), so the hot reads — the team
// list, the org list, team visibility and order resolution — cost no database round trip.
//
// Safe invalidation: every write to lab accounts or their links announces the org on a NOTIFY channel inside
// its transaction (delivered to every instance on commit), and the writer evicts its own instance's entry right
// after commit, so a caller always reads its own writes. A read that raced with an eviction is not stored (the
// generation check), entries expire after a TTL so a lost notification heals itself, and a LISTEN connection
// that had to reconnect clears the cache (notifications sent while it was down are lost).
//
// Order placement does not trust the cache blindly: it locks every account of the team's cell FOR SHARE and
// compares their versions, which every change to an account or its links bumps (order-context.ts).
import { sql } from 'kysely';
import type { DatabaseHandle, DB, Queryable } from '../../db/database.js';
import { findAccounts, type LabAccountRecord } from './lab-accounts.repository.js';

/** Channel on which lab-account changes are announced (payload: the org id, or "platform"). */
export const LAB_ACCOUNTS_CHANGED_CHANNEL = 'labroute_lab_accounts_changed';

const PLATFORM = 'platform';
const TTL_MS = 60_000;
const MAX_ENTRIES = 20_000;

interface Entry {
  accounts: readonly LabAccountRecord[];
  expiresAt: number;
}

export class LabAccountCache {
  /** `${owner}|${env}|${region}` → the owner's accounts in the cell, oldest first. */
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<readonly LabAccountRecord[]>>();
  private generation = 0;

  constructor(private readonly db: DB) {}

  /** The org's accounts in the cell (org id), or the cell's platform accounts (null). Treat as read-only. */
  async cell(orgId: string | null, env: string, region: string): Promise<readonly LabAccountRecord[]> {
    // Ids arrive in any case from paths and bodies; the database and notifications use lower case.
    const key = `${orgId?.toLowerCase() ?? PLATFORM}|${env}|${region}`;
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.accounts;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const load = findAccounts(this.db, { orgId, env, region })
      .then((accounts) => {
        const frozen = Object.freeze(accounts.map((a) => Object.freeze(a)));
        if (generation === this.generation) this.store(key, frozen);
        return frozen;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, load);
    return load;
  }

  /** Forgets every cell of the org (or of the platform accounts, for null). */
  invalidate(orgId: string | null): void {
    this.generation++;
    // Loads in flight may have read the old rows: new callers must not join them.
    this.inflight.clear();
    const prefix = `${orgId?.toLowerCase() ?? PLATFORM}|`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.inflight.clear();
    this.entries.clear();
  }

  private store(key: string, accounts: readonly LabAccountRecord[]): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { accounts, expiresAt: Date.now() + TTL_MS });
  }
}

/** Call inside the transaction that changes an account or its links; delivered to every instance on commit. */
export async function announceLabAccountChange(tx: Queryable, orgId: string | null): Promise<void> {
  await sql`select pg_notify(${LAB_ACCOUNTS_CHANGED_CHANNEL}, ${orgId ?? PLATFORM})`.execute(tx);
}

/** Evicts changes announced by any instance (this one included) from `cache`. Returns the unsubscribe function. */
export function listenForLabAccountChanges(database: DatabaseHandle, cache: LabAccountCache): Promise<() => Promise<void>> {
  return database.subscribe(
    LAB_ACCOUNTS_CHANGED_CHANNEL,
    (payload) => cache.invalidate(payload === PLATFORM ? null : payload),
    () => cache.clear(),
  );
}
