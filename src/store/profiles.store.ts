// Stored profiles: saved only when their owner asks; read, changed and deleted with the owner's token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors, HorizonError } from '../errors.ts';
import type { Profile } from '../rules/engine.ts';
import type { Queryable } from './database.ts';

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const forbidden = () => new HorizonError('forbidden', { key: 'error.profile.forbidden' });

export interface StoredProfile {
  readonly id: string;
  readonly profile: Profile;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Saves a new profile; returns its id and the owner's token (shown once, stored only as a hash). */
export async function createProfile(q: Queryable, profile: Profile): Promise<{ id: string; token: string }> {
  const id = `p_${randomBytes(9).toString('base64url')}`;
  const token = randomBytes(24).toString('base64url');
  await q.query('INSERT INTO profiles (id, token_hash, doc) VALUES ($1, $2, $3)', [
    id,
    hash(token),
    JSON.stringify(profile),
  ]);
  return { id, token };
}

async function owned(
  q: Queryable,
  id: string,
  token: string | undefined,
): Promise<{ doc: string; created_at: string; updated_at: string }> {
  const rows = await q.query<{ token_hash: string; doc: string; created_at: Date | string; updated_at: Date | string }>(
    'SELECT token_hash, doc, created_at, updated_at FROM profiles WHERE id = $1',
    [id],
  );
  const row = rows[0];
  if (!row) throw errors.notFound('profile', id);
  if (!token || !same(hash(token), row.token_hash)) throw forbidden();
  const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
  return { doc: row.doc, created_at: iso(row.created_at), updated_at: iso(row.updated_at) };
}

/** The profile, for its owner; throws not_found or forbidden. */
export async function readProfile(q: Queryable, id: string, token: string | undefined): Promise<StoredProfile> {
  const row = await owned(q, id, token);
  return { id, profile: JSON.parse(row.doc) as Profile, created_at: row.created_at, updated_at: row.updated_at };
}

/** Replaces the profile, for its owner. */
export async function updateProfile(
  q: Queryable,
  id: string,
  token: string | undefined,
  profile: Profile,
): Promise<void> {
  await owned(q, id, token);
  await q.query('UPDATE profiles SET doc = $2, updated_at = now() WHERE id = $1', [id, JSON.stringify(profile)]);
}

/** Deletes the profile and its eligibility, for its owner. */
export async function deleteProfile(q: Queryable, id: string, token: string | undefined): Promise<void> {
  await owned(q, id, token);
  await q.query('DELETE FROM profiles WHERE id = $1', [id]);
}

/** Changes of eligibility recorded for a profile, oldest first. */
export async function eligibilityChanges(q: Queryable, id: string) {
  return q.query<{ id: number; programme_id: string; previous: string; current: string; as_of: string }>(
    'SELECT id, programme_id, previous, current, as_of FROM eligibility_changes WHERE profile_id = $1 ORDER BY id',
    [id],
  );
}
