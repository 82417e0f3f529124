// Browser scripts of the guide, served like the static assets: under /static/ with a content hash in the URL. The
// check page and the watch page have scripts. The build bundles them into dist/guide/scripts/ (bundle-scripts.ts);
// code running from src/ through tsx (development, tests) bundles them in memory on first use instead.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Asset } from './assets.ts';
import { INPUTS_FILE, SCRIPT_ENTRIES, type BundledScript } from './bundle-scripts.ts';

export interface ScriptAsset extends Asset {
  /** Source files that went into the bundle, relative to the project root (for tests). */
  readonly inputs: readonly string[];
}

/** True when this module runs from its TypeScript source rather than from the build in dist/. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const BUILT = new URL('./scripts/', import.meta.url);

const built = new Map<string, Promise<ScriptAsset>>();

async function readBuilt(name: string): Promise<BundledScript> {
  try {
    const inputs = new Map(
      Object.entries(JSON.parse(await readFile(new URL(INPUTS_FILE, BUILT), 'utf8')) as Record<string, string[]>),
    );
    return { body: await readFile(new URL(name, BUILT)), inputs: inputs.get(name) ?? [] };
  } catch (error) {
    throw new Error(
      `The browser script ${fileURLToPath(new URL(name, BUILT))} is missing or unreadable: run "npm run build"`,
      { cause: error },
    );
  }
}

async function load(name: string): Promise<ScriptAsset> {
  const { body, inputs } = FROM_SOURCE
    ? await (await import('./bundle-scripts.ts')).bundleScript(name, fileURLToPath(new URL('../', import.meta.url)))
    : await readBuilt(name);
  return {
    name,
    body,
    type: 'text/javascript; charset=utf-8',
    version: createHash('sha256').update(body).digest('hex').slice(0, 12),
    inputs,
  };
}

/** A script by name (loaded once; a failed load is retried on the next call), or undefined. */
export function script(name: string): Promise<ScriptAsset> | undefined {
  if (!SCRIPT_ENTRIES.has(name)) return undefined;
  let pending = built.get(name);
  if (!pending) {
    pending = load(name);
    built.set(name, pending);
    pending.catch(() => built.delete(name));
  }
  return pending;
}

/** The URL of a script, versioned by its content (loads it if needed). */
export async function scriptUrl(name: string): Promise<string> {
  const asset = await script(name);
  if (!asset) throw new Error(`No script ${name}`);
  return `/static/${name}?v=${asset.version}`;
}
