// How secrets are made and kept: a key is `<prefix><lookup><secret>`; the lookup part is stored in clear
// (to find the row), the whole key only as a salted SHA-256. Keys carry 256 bits of randomness, so a fast
// hash is enough; comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const LOOKUP_LENGTH = 12;
const SECRET_LENGTH = 43;

/** Random base62 text of `length` characters (rejection sampling keeps it unbiased). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** Salted hash of a key, hex. */
export function hashKey(key: string, salt: string): string {
  return createHash('sha256').update(salt).update('\0').update(key).digest('hex');
}

/** Constant-time check of `key` against a stored salt and hash. */
export function verifyKey(key: string, salt: string, storedHash: string): boolean {
  const actual = Buffer.from(hashKey(key, salt), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What is stored for a new key, plus the key itself (shown once). */
export interface NewKeyMaterial {
  key: string;
  lookup: string;
  salt: string;
  hash: string;
  /** A display form that reveals only the prefix and the last four characters. */
  masked: string;
}

/** Makes a new key with the given visible prefix (`sk_us_`, `mg_`, …). */
export function newKeyMaterial(prefix: string): NewKeyMaterial {
  const lookup = randomBase62(LOOKUP_LENGTH);
  const key = `${prefix}${lookup}${randomBase62(SECRET_LENGTH)}`;
  return saltAndHash(key, prefix, lookup);
}

/** Stores an externally chosen key (the operator's LABROUTE_OPERATOR_KEY). */
export function saltAndHash(key: string, prefix = '', lookup = ''): NewKeyMaterial {
  const salt = randomBase62(16);
  return { key, lookup, salt, hash: hashKey(key, salt), masked: maskKey(key, prefix) };
}

/** `sk_us_…a1b2`: the prefix and the last four characters. */
export function maskKey(key: string, prefix: string): string {
  return `${prefix}…${key.slice(-4)}`;
}

/** The lookup part of a key with the given prefix, or null when the key does not have that shape. */
export function lookupOf(key: string, prefix: string): string | null {
  if (!key.startsWith(prefix) || key.length !== prefix.length + LOOKUP_LENGTH + SECRET_LENGTH) return null;
  const lookup = key.slice(prefix.length, prefix.length + LOOKUP_LENGTH);
  return /^[0-9A-Za-z]+$/.test(lookup) ? lookup : null;
}
