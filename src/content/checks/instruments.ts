// instruments/*.yaml: the id matches the file name and is unique; kind, jurisdiction, issuers, tags and sources are
// known; lifecycle events (real dates, one preferred claim of a disputed date, unique keys); relations whose targets
// exist, never the instrument itself, and no cycles within a type. Warns (without refusing) on a plan whose title
// names a period that no event ends.
import { parsePartialDate } from '../../domain/dates.ts';
import { TAG_SCHEMES, type Instrument, type LifecycleEvent } from '../../domain/types.ts';
import { defaultEventKeys } from '../event-keys.ts';
import type { SourceFile } from '../read.ts';
import { canonical } from '../schema.ts';
import type { Checker, Cite, Known } from './checker.ts';

/** Checks the instrument files; returns the valid instruments and every instrument id named by a file. */
export function checkInstruments(
  c: Checker,
  files: readonly SourceFile[],
  known: Known,
): { instruments: Instrument[]; ids: Set<string> } {
  const { jurisdictions, jurisdictionCodes: jCodes, taxonomy, codes, bodies, bodyIds, cite } = known;
  const instruments: Instrument[] = [];
  const instrumentFiles = new Map<string, SourceFile>();
  const namedIds = new Set<string>(); // ids of instrument files, even invalid ones, so links to them add no noise
  for (const file of files) {
    const rawId = (file.data as { id?: unknown } | undefined)?.id;
    if (typeof rawId === 'string') namedIds.add(rawId);
    const inst = c.schema<Instrument>(file, 'instrumentFile');
    if (!inst) continue;
    const expected = file.path.replace(/^instruments\//, '').replace(/\.yaml$/, '');
    if (inst.id !== expected) c.report(file, ['id'], `id "${inst.id}" must match the file name "${expected}.yaml"`);
    if (instrumentFiles.has(inst.id)) {
      c.report(file, ['id'], `duplicate instrument id "${inst.id}" (also in ${instrumentFiles.get(inst.id)?.path})`);
      continue;
    }
    instrumentFiles.set(inst.id, file);
    if (taxonomy && !codes.instrument_kinds.has(inst.kind)) {
      c.report(file, ['kind'], `unknown instrument kind "${inst.kind}"`);
    }
    if (jurisdictions.length && !jCodes.has(inst.jurisdiction)) {
      c.report(file, ['jurisdiction'], `unknown jurisdiction "${inst.jurisdiction}"`);
    }
    inst.issuers.forEach((b, i) => {
      if (bodies.length && !bodyIds.has(b)) c.report(file, ['issuers', i], `unknown body "${b}" (not in bodies.yaml)`);
    });
    for (const scheme of TAG_SCHEMES) {
      inst[scheme]?.forEach((code, i) => {
        if (taxonomy && !codes[scheme].has(code)) c.report(file, [scheme, i], `unknown ${scheme} code "${code}"`);
      });
    }
    cite(file, ['sources'], inst.sources);
    checkEvents(c, file, inst.events, codes.event_types, cite);
    const period = periodWithoutEnd(inst);
    if (period) {
      c.warn(
        file,
        ['events'],
        `the title names a period (${period}) but no event ends it: add an expired event (a year such as "${period.slice(-4)}" is enough)`,
      );
    }
    instruments.push(canonical('instrumentFile', { ...inst, events: defaultEventKeys(inst.events) }));
  }

  // Relations: targets exist, no self-references, no cycles within a type.
  const ids = new Set([...namedIds, ...instruments.map((i) => i.id)]);
  for (const inst of instruments) {
    const file = instrumentFiles.get(inst.id);
    inst.relations?.forEach((r, i) => {
      if (!file) return;
      if (r.target === inst.id) c.report(file, ['relations', i, 'target'], 'an instrument cannot relate to itself');
      else if (!ids.has(r.target)) c.report(file, ['relations', i, 'target'], `unknown instrument "${r.target}"`);
    });
  }
  reportCycles(c, instruments, instrumentFiles);

  return { instruments, ids };
}

const ENDS: ReadonlySet<string> = new Set(['expired', 'superseded', 'repealed']);
const PERIOD = /(\d{4})\s*[-–—~至到]\s*(\d{4})/;

/**
 * The period (e.g. "2023–2025") a plan's title names, when no lifecycle event ends the instrument; undefined when the
 * title names none or an expired, superseded or repealed event is there. Without an end, status would keep the plan
 * issued, and its programmes applying, long after its period.
 */
export function periodWithoutEnd(inst: Pick<Instrument, 'title' | 'short_title' | 'events'>): string | undefined {
  if (inst.events.some((e) => ENDS.has(e.type))) return undefined;
  for (const text of [inst.title.en, inst.title.zh, inst.short_title?.en, inst.short_title?.zh]) {
    const m = text ? PERIOD.exec(text) : null;
    if (m && m[1] && m[2] && m[1] < m[2]) return `${m[1]}–${m[2]}`;
  }
  return undefined;
}

function checkEvents(
  c: Checker,
  file: SourceFile,
  events: readonly LifecycleEvent[],
  eventTypes: Set<string>,
  cite: Cite,
): void {
  events.forEach((e, i) => {
    const at = ['events', i];
    if (eventTypes.size && !eventTypes.has(e.type)) c.report(file, [...at, 'type'], `unknown event type "${e.type}"`);
    const hasDate = e.date !== undefined;
    if (hasDate === (e.claims !== undefined)) {
      c.report(file, at, 'an event gives either date (null when unknown) or claims (a disputed date), not both');
    }
    if (typeof e.date === 'string' && !parsePartialDate(e.date)) {
      c.report(file, [...at, 'date'], `${e.date} is not a real date`);
    }
    cite(file, [...at, 'sources'], e.sources);
    if (e.claims) {
      e.claims.forEach((claim, k) => {
        if (!parsePartialDate(claim.date))
          c.report(file, [...at, 'claims', k, 'date'], `${claim.date} is not a real date`);
        cite(file, [...at, 'claims', k, 'sources'], claim.sources);
      });
      const preferred = e.claims.filter((x) => x.preferred === true).length;
      if (preferred !== 1) {
        c.report(file, [...at, 'claims'], `a disputed date needs exactly one preferred claim (found ${preferred})`);
      }
    }
  });
  const keys = defaultEventKeys(events).map((e) => e.key);
  keys.forEach((key, i) => {
    if (keys.indexOf(key) !== i) c.report(file, ['events', i], `duplicate event key "${key}": give each event a key`);
  });
}

function reportCycles(c: Checker, instruments: readonly Instrument[], files: Map<string, SourceFile>): void {
  const types = new Set(instruments.flatMap((i) => (i.relations ?? []).map((r) => r.type)));
  types.delete('cites');
  for (const type of types) {
    const edges = new Map<string, string[]>();
    for (const inst of instruments) {
      edges.set(
        inst.id,
        (inst.relations ?? []).filter((r) => r.type === type).map((r) => r.target),
      );
    }
    const state = new Map<string, 'open' | 'done'>();
    const reported = new Set<string>();
    const visit = (id: string, stack: string[]): void => {
      state.set(id, 'open');
      for (const next of edges.get(id) ?? []) {
        if (state.get(next) === 'open') {
          const cycle = [...stack.slice(stack.indexOf(next)), id, next];
          const first = cycle[0] ?? id;
          const key = [...new Set(cycle)].sort().join(',');
          const file = files.get(first);
          const inst = instruments.find((x) => x.id === first);
          const index = inst?.relations?.findIndex((r) => r.type === type) ?? 0;
          if (file && !reported.has(key)) {
            reported.add(key);
            c.report(
              file,
              ['relations', index],
              `relation cycle: ${cycle.slice(stack.indexOf(next) >= 0 ? 0 : 1).join(` ${type} `)}`,
            );
          }
        } else if (!state.has(next) && edges.has(next)) visit(next, [...stack, id]);
      }
      state.set(id, 'done');
    };
    for (const inst of instruments) if (!state.has(inst.id)) visit(inst.id, []);
  }
}
