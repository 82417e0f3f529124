#!/usr/bin/env node
// Fails when a module under src/ that is not a repository contains SQL: only files under src/store/ or named
// *.repository.ts / *.store.ts may run it (docs/ARCHITECTURE.md, "Layers"). The pattern is the one
// shared/tools/layers.mjs counts with. Tests (*.test.ts) are left out. Usage: node scripts/check-sql.js
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SQL = /\b(SELECT\s+[\s\S]{0,200}?\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/;
const isRepository = (file) => file.includes('/src/store/') || /\.(repository|store)\.ts$/.test(file);

const root = join(process.cwd(), 'src');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files.push(path);
  }
})(root);

const outside = files.filter((f) => !isRepository(f) && SQL.test(readFileSync(f, 'utf8')));
for (const f of outside) {
  console.error(`${relative(process.cwd(), f)}: SQL outside a repository (move it to a *.store.ts or *.repository.ts)`);
}
process.exit(outside.length === 0 ? 0 : 1);
