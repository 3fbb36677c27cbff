// The dashboard's API client: openapi-fetch typed from Labroute's generated OpenAPI document, so a contract
// change breaks the dashboard's type-check. The key lives only in sessionStorage.
import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/api';

export type Schemas = components['schemas'];
export type LabAccount = Schemas['ClientFacingLabAccount'];
/** The fields of ClientFacingOrder the dashboard shows (a structural subset, so every order endpoint fits). */
export interface Order {
  id: string;
  last_event: { id: number; status: string; created_at: string };
  events: { id: number; status: string; created_at: string }[];
  patient_details: { first_name: string | null; last_name: string | null } | null;
  lab_test: { name: string; lab: { name: string } | null };
  lab_account_id: string;
  lab_account_resolution: string;
  created_at: string;
  sample_id: string | null;
}
export type WhoAmI = Schemas['WhoAmIResponse'];

const KEY = 'labroute.key';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

/** Headers for a key: management keys (`mg_`) go in X-Management-Key, access tokens as Bearer, team keys as x-vital-api-key. */
export function authHeaders(key: string): Record<string, string> {
  if (key.startsWith('mg_')) return { 'X-Management-Key': key };
  if (key.startsWith('tat_')) return { Authorization: `Bearer ${key}` };
  return { 'x-vital-api-key': key };
}

export function client(key: string) {
  return createClient<paths>({ baseUrl: window.location.origin, headers: authHeaders(key) });
}

/** The message of an error body in Labroute's shapes. */
export function errorMessage(error: unknown): string {
  const e = error as { detail?: unknown; code?: string } | undefined;
  if (!e) return 'Request failed';
  if (typeof e.detail === 'string') return e.detail;
  if (Array.isArray(e.detail)) return e.detail.map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).slice(1).join('.')}: ${d.msg}`).join('; ');
  return e.code ?? 'Request failed';
}
