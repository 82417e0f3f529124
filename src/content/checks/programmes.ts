// programmes/*.yaml: the id matches the file name and is unique; the instrument and sources exist; the eligibility
// rule is sound (programme-rules.ts).
import type { Programme } from '../../domain/types.ts';
import { checkProgrammeRule } from '../programme-rules.ts';
import type { SourceFile } from '../read.ts';
import type { Checker, Known } from './checker.ts';

/** Checks the programme files against the instrument ids; returns the valid programmes. */
export function checkProgrammes(c: Checker, files: readonly SourceFile[], ids: Set<string>, known: Known): Programme[] {
  const { parentOf, sourceIds, cite } = known;
  const programmes: Programme[] = [];
  const programmeIds = new Set<string>();
  for (const file of files) {
    const prog = c.schema<Programme>(file, 'programmeFile');
    if (!prog) continue;
    const expected = file.path.replace(/^programmes\//, '').replace(/\.yaml$/, '');
    if (prog.id !== expected) c.report(file, ['id'], `id "${prog.id}" must match the file name "${expected}.yaml"`);
    if (programmeIds.has(prog.id)) c.report(file, ['id'], `duplicate programme id "${prog.id}"`);
    programmeIds.add(prog.id);
    if (!ids.has(prog.instrument)) c.report(file, ['instrument'], `unknown instrument "${prog.instrument}"`);
    cite(file, ['sources'], prog.sources);
    for (const p of checkProgrammeRule(prog.rule, { jurisdictions: parentOf, sources: sourceIds, instruments: ids })) {
      c.report(file, ['rule', ...p.path], p.message);
    }
    programmes.push(prog);
  }

  return programmes;
}
