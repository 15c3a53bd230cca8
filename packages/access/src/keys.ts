import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key is `tw_<keyId>_<secret>`: the key id (public, 16 hex digits) finds the stored
 * row, the secret (32 random bytes, base64url) proves possession. Only HMAC-SHA256(salt,
 * secret) is stored, with a per-key salt; a slow KDF is not needed for a 256-bit random secret.
 */
export interface GeneratedKey {
  keyId: string;
  token: string;
  salt: string;
  secretHash: string;
}

const TOKEN = /^tw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function generateKey(): GeneratedKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return { keyId, token: `tw_${keyId}_${secret}`, salt, secretHash: hashSecret(secret, salt) };
}

/** The key id and secret of a well-formed token, or undefined. */
export function parseToken(token: string): { keyId: string; secret: string } | undefined {
  const m = TOKEN.exec(token);
  return m ? { keyId: m[1]!, secret: m[2]! } : undefined;
}

export function hashSecret(secret: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(secret).digest('hex');
}

/** Constant-time comparison of the secret's hash with the stored one. */
export function secretMatches(secret: string, salt: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret, salt), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}
