// The dashboard's API client: openapi-fetch typed from Labroute's generated OpenAPI document, so a contract
// change breaks the dashboard's type-check. The key lives only in sessionStorage.
import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/api';

export type Schemas = components['schemas'];
export type LabAccount = Schemas['ClientFacingLabAccount'];
export type Order = Schemas['ClientFacingOrder'];
export type LabTest = Schemas['ClientFacingLabTest'];
export type Team = Schemas['ClientFacingOrgTeamListItem'];
export type Candidate = Schemas['LabAccountCandidate'];
export type BiomarkerResult = Schemas['BiomarkerResult'];
export type HistoryEntry = Schemas['LabAccountHistoryEntry'];
export type Impact = Schemas['LabAccountImpactResponse'];
export type WhoAmI = Schemas['WhoAmIResponse'];
export type Api = ReturnType<typeof client>;

export type Env = 'sandbox' | 'production';
export type Region = 'us' | 'eu';
export interface Cell {
  env: Env;
  region: Region;
}

/** The path parameters that name one lab account of an org. */
export interface AccountPath {
  org_id: string;
  env: Cell['env'];
  region: Cell['region'];
  account_id: string;
}
export const CELLS: Cell[] = [
  { env: 'sandbox', region: 'us' },
  { env: 'production', region: 'us' },
  { env: 'sandbox', region: 'eu' },
  { env: 'production', region: 'eu' },
];

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

/**
 * Labroute's error bodies: `{detail, code, ...extra}`, or FastAPI's 422 `{detail: [{loc, msg}]}`. The OpenAPI
 * document describes only successes, so openapi-fetch types `error` loosely; this is its shape.
 */
interface ApiError {
  detail?: string | { loc?: unknown[]; msg?: string }[] | { error_message?: string };
  code?: string;
  candidates?: Candidate[];
}

function asApiError(error: unknown): ApiError {
  return typeof error === 'object' && error !== null ? (error as ApiError) : {};
}

/** The message of an error body in Labroute's shapes. */
export function errorMessage(error: unknown): string {
  const e = asApiError(error);
  if (typeof e.detail === 'string') return e.detail;
  if (Array.isArray(e.detail)) return e.detail.map((d) => `${(d.loc ?? []).slice(1).join('.')}: ${d.msg}`).join('; ');
  if (e.detail?.error_message) return e.detail.error_message;
  return e.code ?? 'Request failed';
}

export function errorCode(error: unknown): string | undefined {
  return asApiError(error).code;
}

/** The accounts a failed resolution weighed, with each one's reasons (SPEC.md §3). */
export function errorCandidates(error: unknown): Candidate[] {
  return asApiError(error).candidates ?? [];
}

/** The message for a request that never got an answer. */
export const UNREACHABLE = 'Labroute is not reachable. Check your connection and try again.';
