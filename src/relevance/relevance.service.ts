// checkProfile on the server: gathers programmes and their instruments' status as of a date from the store, then
// runs the same pure check as the browser.
import { errors } from '../errors.ts';
import type { JurisdictionTree } from '../domain/jurisdictions.ts';
import type { Status } from '../domain/types.ts';
import { createContext } from '../rules/engine.ts';
import type { Queryable } from '../store/database.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { ProgrammeRules, checkProgrammes, type CheckResult, type ProgrammeInput } from './check.ts';
import { ProfileValidator } from './profile.ts';

const DEFAULT_VALID: readonly Status[] = ['in_force', 'issued'];

/** Everything a check needs for one date: programme inputs, compiled rules and the profile validator. */
export interface CheckSetup {
  readonly asOf: string;
  readonly programmes: readonly ProgrammeInput[];
  readonly rules: ProgrammeRules;
  readonly validator: ProfileValidator;
  readonly tree: JurisdictionTree;
}

/** Programme inputs as of asOf and the jurisdiction tree: plain data, the same for the server and the check page. */
export interface ProgrammeInputs {
  readonly programmes: readonly ProgrammeInput[];
  readonly tree: JurisdictionTree;
}

/** Reads programmes, their instruments' status as of asOf, and the jurisdiction tree from the store. */
export async function loadProgrammeInputs(q: Queryable, asOf: string): Promise<ProgrammeInputs> {
  const repo = new KnowledgeRepository(q);
  const [programmes, views, tree] = await Promise.all([
    repo.programmes(),
    repo.instruments({ asOf }),
    repo.jurisdictionTree(),
  ]);
  const byId = new Map(views.map((v) => [v.instrument.id, v]));
  const titles = await repo.instrumentTitles([...new Set(programmes.map((p) => p.instrument))]);
  return {
    tree,
    programmes: programmes.map((p) => {
      const status = byId.get(p.instrument)?.status ?? null;
      return {
        id: p.id,
        kind: p.kind,
        title: p.title,
        description: p.description,
        effect: p.effect,
        ...(p.provision ? { provision: p.provision } : {}),
        rule: p.rule,
        sources: p.sources,
        instrument: {
          id: p.instrument,
          title: titles.get(p.instrument) ?? { en: p.instrument, zh: p.instrument },
          status,
        },
        inEffect: status !== null && (p.valid_while ?? DEFAULT_VALID).includes(status),
      };
    }),
  };
}

/** Reads programmes and the jurisdiction tree from the store and prepares them for checking as of asOf. */
export async function loadCheckSetup(q: Queryable, asOf: string): Promise<CheckSetup> {
  const { programmes, tree } = await loadProgrammeInputs(q, asOf);
  const context = createContext({ jurisdictions: tree });
  return {
    asOf,
    tree,
    rules: new ProgrammeRules(context),
    validator: new ProfileValidator(context.facts),
    programmes,
  };
}

/** Validates the profile (throwing invalid_profile with field paths) and checks it against every programme. */
export function checkWith(setup: CheckSetup, input: unknown, where = 'profile'): CheckResult {
  const checked = setup.validator.check(input);
  if (!checked.profile) throw errors.invalidProfile(checked.problems, where);
  return checkProgrammes(setup.programmes, checked.profile, setup.rules, setup.asOf);
}

/** One check: load, validate, evaluate. */
export async function checkProfile(q: Queryable, input: unknown, asOf: string): Promise<CheckResult> {
  return checkWith(await loadCheckSetup(q, asOf), input);
}
