// Passwords: scrypt (node:crypto, memory-hard) with its parameters recorded in the hash string, so they can be raised
// later without breaking stored hashes; compared in constant time; a minimum length and a list of common passwords
// (common-passwords.txt) refused. No password is ever stored, logged or returned.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message } from '../i18n/messages.ts';

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest accepted (scrypt takes any length, but there is no reason to hash megabytes). */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * scrypt's cost: N = 2^16, r = 8 (64 MiB of memory per hash, ~0.25 s on one core here), p = 1. OWASP's table asks for
 * 2^17 at p = 1; 2^16 keeps a login under a second on the shared two-core machines this runs on. Stored hashes keep
 * their own parameters, so raising these later re-hashes nothing.
 */
const COST = { N: 2 ** 16, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem: 128 * cost.N * cost.r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** The hash string of a password: `scrypt$N$r$p$salt$key` (salt and key base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` is the one `stored` was made from (false for a hash string that cannot be read). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((x) => Number.isSafeInteger(x) && x > 0) || cost.N > 2 ** 20) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password.slice(0, MAX_PASSWORD_LENGTH), Buffer.from(salt, 'base64url'), cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash of a random password: verified against when an e-mail has no account, so both take the same time. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(18).toString('base64url'));
  return dummy;
}

let common: ReadonlySet<string> | undefined;
/** The common passwords refused (common-passwords.txt: one a line, lower case). */
function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'common-passwords.txt');
    common = new Set(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== '' && !l.startsWith('#')),
    );
  }
  return common;
}

/**
 * Why a new password is refused, or undefined when it is acceptable: too short, too long, a common password, one
 * character repeated, or the account's own e-mail address.
 */
export function passwordProblem(password: string, email?: string): Message | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return { key: 'error.password.short', params: { min: MIN_PASSWORD_LENGTH } };
  if (length > MAX_PASSWORD_LENGTH) return { key: 'error.password.long', params: { max: MAX_PASSWORD_LENGTH } };
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower) || /^(.)\1*$/u.test(password)) return { key: 'error.password.common' };
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) {
    return { key: 'error.password.common' };
  }
  return undefined;
}
