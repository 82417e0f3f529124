// Browser scripts of the guide, bundled from TypeScript with esbuild in memory on first use, and served like the
// static assets: under /static/ with a content hash in the URL. The check page and the watch page have scripts.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Asset } from './assets.ts';

/** Script name → its entry point. */
const ENTRIES: Readonly<Record<string, string>> = {
  'check.js': fileURLToPath(new URL('../relevance/browser/check-page.ts', import.meta.url)),
  'watch.js': fileURLToPath(new URL('../watch/browser/copy.ts', import.meta.url)),
};

export interface ScriptAsset extends Asset {
  /** Source files that went into the bundle, relative to the project root (for tests). */
  readonly inputs: readonly string[];
}

const built = new Map<string, Promise<ScriptAsset>>();

async function build(name: string, entry: string): Promise<ScriptAsset> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${name}`);
  const body = Buffer.from(file.contents);
  return {
    name,
    body,
    type: 'text/javascript; charset=utf-8',
    version: createHash('sha256').update(body).digest('hex').slice(0, 12),
    inputs: Object.keys(result.metafile.inputs),
  };
}

/** A bundled script by name (built once; a failed build is retried on the next call), or undefined. */
export function script(name: string): Promise<ScriptAsset> | undefined {
  const entry = ENTRIES[name];
  if (entry === undefined) return undefined;
  let pending = built.get(name);
  if (!pending) {
    pending = build(name, entry);
    built.set(name, pending);
    pending.catch(() => built.delete(name));
  }
  return pending;
}

/** The URL of a bundled script, versioned by its content (builds it if needed). */
export async function scriptUrl(name: string): Promise<string> {
  const asset = await script(name);
  if (!asset) throw new Error(`No script ${name}`);
  return `/static/${name}?v=${asset.version}`;
}
