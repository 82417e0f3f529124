// Webhook signing secrets at rest: needed in clear to sign (deliver/signature.ts), so they are encrypted rather than
// hashed, with AES-256-GCM under the key from config (HORIZON_SECRET_KEY). A stored value reads
// `v1:<iv>:<tag>:<ciphertext>` (base64url); the subscription's id is the additional data, so a value copied onto another
// row does not open. Without a configured key, development on PGlite keeps a generated one in the data folder.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { HorizonError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { plainSecrets, replaceSecret, someSealedSecret } from './subscriptions.store.ts';

const VERSION = 'v1';
const IV_BYTES = 12;

/** The name of the generated key in a PGlite data folder (development without HORIZON_SECRET_KEY). */
export const SECRET_KEY_FILE = 'secret.key';

/** Encrypts and decrypts secrets with one key; `context` (the subscription id) is bound to each value. */
export interface SecretBox {
  seal(plain: string, context: string): string;
  /** The secret in clear; throws secret_key when the value was sealed with another key, or altered. */
  open(sealed: string, context: string): string;
}

/** True when a stored value is one seal() made (as opposed to a secret stored in clear by an older Horizon). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(`${VERSION}:`);
}

const wrongKey = () =>
  new HorizonError(
    'secret_key',
    'A stored webhook secret cannot be decrypted: HORIZON_SECRET_KEY is not the key it was encrypted with (or the ' +
      'value was altered). Set the key this database was used with.',
  );

/** A box over a 32-byte key. */
export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new RangeError('the secret key must be 32 bytes');
  const k = Buffer.from(key);
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64url'));
      return [VERSION, ...parts].join(':');
    },
    open(sealed, context) {
      const [version, iv, tag, ct, ...rest] = sealed.split(':');
      if (version !== VERSION || iv === undefined || tag === undefined || ct === undefined || rest.length > 0) {
        throw wrongKey();
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw wrongKey();
      }
    },
  };
}

/**
 * The key to use: HORIZON_SECRET_KEY; else, in development on PGlite, the data folder's secret.key (made once, mode
 * 0600, 32 random bytes as hex). PostgreSQL without HORIZON_SECRET_KEY is refused: its rows may be read by other hosts
 * and processes, none of which could share a file here (config.ts already refuses production without a key).
 */
export function secretKeyFor(config: Pick<Config, 'secretKey' | 'database' | 'mode'>): Buffer {
  if (config.secretKey) return config.secretKey;
  if (config.database.kind !== 'pglite' || config.mode === 'production') {
    throw new HorizonError(
      'secret_key',
      'HORIZON_SECRET_KEY is not set: webhook secrets are encrypted with it. Make one with "openssl rand -hex 32" ' +
        'and give the same value to every Horizon process using this database.',
    );
  }
  const file = path.join(config.database.dataDir, SECRET_KEY_FILE);
  fs.mkdirSync(config.database.dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new HorizonError(
      'secret_key',
      `${file} does not hold a key (64 hex digits); set HORIZON_SECRET_KEY instead.`,
    );
  }
  return Buffer.from(text, 'hex');
}

/**
 * Run once at start, before serving or delivering: encrypts the secrets an older Horizon stored in clear, then checks
 * that the key opens a stored one (a wrong key is refused here, with a clear message, rather than at each delivery).
 */
export async function prepareSecrets(db: Database, box: SecretBox): Promise<{ sealed: number }> {
  let sealed = 0;
  for (const row of await plainSecrets(db)) {
    if (await replaceSecret(db, row.id, row.secret, box.seal(row.secret, row.id))) sealed++;
  }
  const sample = await someSealedSecret(db);
  if (sample) box.open(sample.secret, sample.id);
  return { sealed };
}
