// Static files of the guide (src/guide/assets), loaded once, served with a content hash for long-lived caching.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  readonly name: string;
  readonly body: Buffer;
  readonly type: string;
  /** First 12 hex digits of the SHA-256 of the body: the ?v= of its URL and its ETag. */
  readonly version: string;
}

const TYPES: ReadonlyMap<string, string> = new Map([
  ['.css', 'text/css; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.txt', 'text/plain; charset=utf-8'],
]);

const DIR = fileURLToPath(new URL('./assets/', import.meta.url));
let cache: ReadonlyMap<string, Asset> | undefined;

/** Every file of the assets folder by name. */
export function assets(): ReadonlyMap<string, Asset> {
  if (!cache) {
    const map = new Map<string, Asset>();
    for (const name of readdirSync(DIR)) {
      const type = TYPES.get(extname(name));
      if (!type) continue;
      const body = readFileSync(DIR + name);
      map.set(name, { name, body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) });
    }
    cache = map;
  }
  return cache;
}

/** The URL of an asset, versioned by its content. */
export function assetUrl(name: string): string {
  const asset = assets().get(name);
  return asset ? `/static/${name}?v=${asset.version}` : `/static/${name}`;
}
