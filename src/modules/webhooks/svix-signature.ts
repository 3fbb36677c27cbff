// Svix-compatible signing (CONTRACT.md): the secret is `whsec_` + base64 of 32 random bytes; the signing key
// is the decoded bytes; the signature is `v1,` + base64 HMAC-SHA256 of "id.timestamp.body".
import { createHmac, randomBytes } from 'node:crypto';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function signPayload(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** `whsec_…abcd`: enough to tell secrets apart, nothing to sign with. */
export function maskSecret(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}
