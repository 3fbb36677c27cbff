// Caches authenticated principals so a hot key costs no database round trip. Safe invalidation: revoking or
// changing a key evicts it here at once and, through PostgreSQL NOTIFY sent in the revoking transaction, in
// every other instance on commit; entries also expire after a short TTL so a lost notification heals itself.
import { createHash } from 'node:crypto';
import type { Principal } from './principal.js';

/** Channel on which key revocations are announced to every instance sharing the database. */
export const KEY_REVOKED_CHANNEL = 'labroute_key_revoked';

const TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;

interface Entry {
  principal: Principal;
  expiresAt: number;
}

/**
 * One cache per process: keys are unique random secrets and key ids are uuids, so apps sharing a process
 * (tests) cannot collide.
 */
class PrincipalCache {
  private readonly bySecret = new Map<string, Entry>();
  private readonly secretsByKeyId = new Map<string, Set<string>>();

  private digest(secret: string): string {
    // Never keep presented secrets themselves in memory longer than the request.
    return createHash('sha256').update(secret).digest('base64url');
  }

  get(secret: string, now = Date.now()): Principal | undefined {
    const id = this.digest(secret);
    const entry = this.bySecret.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.remove(id, entry);
      return undefined;
    }
    return entry.principal;
  }

  /** Caches `principal` for `secret` until the TTL or `notAfter` (an access token's expiry), whichever is first. */
  set(secret: string, principal: Principal, notAfter?: number, now = Date.now()): void {
    if (this.bySecret.size >= MAX_ENTRIES) {
      const oldest = this.bySecret.keys().next().value;
      if (oldest !== undefined) this.remove(oldest, this.bySecret.get(oldest)!);
    }
    const id = this.digest(secret);
    this.bySecret.set(id, { principal, expiresAt: Math.min(now + TTL_MS, notAfter ?? Infinity) });
    let secrets = this.secretsByKeyId.get(principal.keyId);
    if (!secrets) {
      secrets = new Set();
      this.secretsByKeyId.set(principal.keyId, secrets);
    }
    secrets.add(id);
  }

  /** Forgets every cached secret of these key ids (revoked keys, changed bindings, deleted teams' keys). */
  evictKeyIds(keyIds: Iterable<string>): void {
    for (const keyId of keyIds) {
      for (const id of this.secretsByKeyId.get(keyId) ?? []) this.bySecret.delete(id);
      this.secretsByKeyId.delete(keyId);
    }
  }

  /** Forgets every principal of a team (e.g. when a team's keys are rotated wholesale). */
  evictTeam(teamId: string): void {
    const ids: string[] = [];
    for (const entry of this.bySecret.values()) {
      if (entry.principal.kind === 'team' && entry.principal.teamId === teamId) ids.push(entry.principal.keyId);
    }
    this.evictKeyIds(ids);
  }

  clear(): void {
    this.bySecret.clear();
    this.secretsByKeyId.clear();
  }

  private remove(id: string, entry: Entry): void {
    this.bySecret.delete(id);
    this.secretsByKeyId.get(entry.principal.keyId)?.delete(id);
  }
}

export const principalCache = new PrincipalCache();
