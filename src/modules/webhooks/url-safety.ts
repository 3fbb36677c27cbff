// Webhook targets must be http(s) and — unless LABROUTE_WEBHOOK_ALLOW_PRIVATE=1 — must not resolve to
// loopback, private, link-local or unspecified addresses (no requests into the operator's own network).
// Checked when an endpoint is created and again before every delivery (DNS can change).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

function isPrivateV4(address: string): boolean {
  const [a, b] = address.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a >= 224
  );
}

function isPrivateV6(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower === '::' || lower === '::1') return true;
  if (lower.startsWith('::ffff:')) return isPrivateV4(lower.slice(7));
  return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(lower);
}

export function isPrivateAddress(address: string): boolean {
  return isIP(address) === 6 ? isPrivateV6(address) : isPrivateV4(address);
}

/** Null when `url` may receive webhooks, else the reason it may not. */
export async function webhookUrlProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url is not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'url must be http or https';
  if (parsed.username || parsed.password) return 'url must not contain credentials';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `url host ${host} does not resolve`;
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) return 'url must not point to a loopback, private or link-local address';
  return null;
}
