// Bundles the guide's browser scripts from their TypeScript entry points with esbuild (a devDependency): at build time
// into dist/guide/scripts/ (scripts/build.js calls bundleScripts), and in memory when the code runs from src/ (tsx).
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** Script name → its entry point, relative to src/. */
export const SCRIPT_ENTRIES: ReadonlyMap<string, string> = new Map([
  ['check.js', 'relevance/browser/check-page.ts'],
  ['watch.js', 'watch/browser/copy.ts'],
]);

/** The file, next to the built scripts, that lists each script's source files (relative to the project root). */
export const INPUTS_FILE = 'inputs.json';

export interface BundledScript {
  readonly body: Buffer;
  /** Source files that went into the bundle, relative to the project root. */
  readonly inputs: readonly string[];
}

/** Bundles one script from the sources under srcDir (minified ES2020 for the browser). */
export async function bundleScript(name: string, srcDir: string): Promise<BundledScript> {
  const entry = SCRIPT_ENTRIES.get(name);
  if (entry === undefined) throw new Error(`No script ${name}`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(srcDir, entry)],
    absWorkingDir: path.dirname(srcDir),
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
  return { body: Buffer.from(file.contents), inputs: Object.keys(result.metafile.inputs) };
}

/** Bundles every script into outDir, with INPUTS_FILE beside them; returns the names written. */
export async function bundleScripts(srcDir: string, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const inputs: Record<string, readonly string[]> = {};
  for (const name of SCRIPT_ENTRIES.keys()) {
    const bundled = await bundleScript(name, srcDir);
    writeFileSync(path.join(outDir, name), bundled.body);
    inputs[name] = bundled.inputs;
  }
  writeFileSync(path.join(outDir, INPUTS_FILE), `${JSON.stringify(inputs, null, 2)}\n`);
  return Object.keys(inputs);
}
