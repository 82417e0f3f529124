// The check page in the browser: reads the data the server embedded, asks the questions that matter for the answer
// so far, and runs the same pure check as the server on every change. The profile stays on this machine: the only
// request this script ever makes is the POST of "Save this profile", when the visitor clicks it.
// Imports only browser-safe modules (the rules engine and the pure check); the data module is imported for types.
import { FACTS, createContext, type Bilingual, type FactSpec, type Profile } from '../../rules/engine.ts';
import {
  ProgrammeRules,
  checkProgrammes,
  type CheckResult,
  type ConditionResult,
  type ProgrammeResult,
} from '../check.ts';
import type { CheckData, CheckSource } from '../check-data.ts';
import { messagesTranslator } from '../../i18n/format.ts';
import { languageTag } from '../../i18n/languages.ts';
import { checkStrings, type CheckStrings } from './strings.ts';

type Outcome = ProgrammeResult['outcome'];
type Kind = ProgrammeResult['kind'];

/** Always asked: where the enterprise operates and what it does with AI. */
const BASIC: readonly string[] = ['jurisdictions', 'activities'];
const KINDS: readonly Kind[] = ['pilot', 'scenario-call', 'incentive', 'obligation', 'encouragement'];
const STORAGE_KEY = 'horizon.check.profile';

// ——— small DOM helpers (text is always set as text, never parsed as markup) ———

type Child = Node | string | null | undefined | false;
type Attrs = Readonly<Record<string, string | boolean | undefined>>;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A safe id fragment for a fact path or code. */
const slug = (s: string): string => s.replace(/[^A-Za-z0-9-]/g, '-');
const questionId = (path: string): string => `q-${slug(path)}`;
const inputId = (path: string, code = ''): string => `f-${slug(path)}${code ? `-${slug(code)}` : ''}`;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  keys.slice(0, -1).forEach((k) => {
    node[k] ??= {};
    node = node[k] as Record<string, unknown>;
  });
  node[keys[keys.length - 1] ?? path] = value;
}

/** A scalar answer as a form value ('' for anything else). */
const scalar = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

function getPath(source: unknown, path: string): unknown {
  let v = source;
  for (const k of path.split('.'))
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

// ——— the page ———

class CheckPage {
  private readonly t: CheckStrings;
  private readonly lang: 'en' | 'zh';
  private readonly facts: Readonly<Record<string, FactSpec>>;
  private readonly rules: ProgrammeRules;
  private readonly jurisdictionNames: ReadonlyMap<string, Bilingual>;
  /** Further questions (not BASIC, not name), in catalogue order. */
  private readonly further: readonly string[];
  private readonly questions = new Map<string, HTMLElement>();
  private readonly hints = new Map<string, HTMLElement>();
  private readonly form: HTMLFormElement;
  private readonly furtherBox: HTMLElement;
  private readonly furtherHeading: HTMLElement;
  private readonly results: HTMLElement;
  private readonly showAll: HTMLInputElement;
  private readonly remember: HTMLInputElement;
  private readonly nameInput: HTMLInputElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly saveStatus: HTMLElement;
  /** On narrow screens, where the results come after the questions: the counts, linking to them. */
  private readonly jump: HTMLAnchorElement;
  /** The counts: the part of the live results region that is read out when the answer changes. */
  private readonly summary: HTMLElement;
  /** The bands of programmes: inside the live region, but not read out on every change (too long to hear). */
  private readonly bands: HTMLElement;
  private signature = '';
  private othersOpen = false;

  constructor(
    private readonly data: CheckData,
    private readonly root: HTMLElement,
  ) {
    this.lang = data.lang;
    this.t = checkStrings(messagesTranslator(data.lang, data.messages));
    const context = createContext({ jurisdictions: data.tree });
    this.facts = context.facts;
    this.rules = new ProgrammeRules(context);
    this.jurisdictionNames = new Map(data.jurisdictions.map((j) => [j.code, j.name]));
    this.further = Object.keys(this.facts).filter((p) => p !== 'name' && !BASIC.includes(p));

    const t = this.t;
    this.form = h('form', {
      id: 'check-form',
      class: 'check-form',
      novalidate: true,
      'aria-labelledby': 'questions-heading',
    });
    this.furtherBox = h('div', { id: 'further-questions', class: 'further-questions' });
    this.furtherHeading = h('h3', { id: 'further-heading', class: 'further-heading', hidden: true }, t.moreQuestions);
    this.showAll = h('input', { type: 'checkbox', id: 'show-all-questions' });
    this.remember = h('input', { type: 'checkbox', id: 'remember-profile', 'aria-describedby': 'remember-help' });
    this.nameInput = h('input', {
      type: 'text',
      id: 'f-name',
      autocomplete: 'organization',
      'aria-describedby': 'f-name-help',
    });
    this.saveButton = h('button', { type: 'button', id: 'save-profile', class: 'button' }, t.saveButton);
    this.saveStatus = h('div', { id: 'save-status', class: 'save-status', role: 'status' });
    this.jump = h('a', { href: '#check-results', class: 'results-jump' });
    this.summary = h('p', { class: 'check-summary', id: 'check-summary', 'aria-atomic': 'true' });
    this.bands = h('div', { class: 'bands', 'aria-live': 'off' });
    this.results = h(
      'section',
      { id: 'check-results', class: 'check-results', 'aria-labelledby': 'results-heading', 'aria-live': 'polite' },
      h('h2', { id: 'results-heading' }, t.resultsHeading),
      this.summary,
      this.bands,
    );

    for (const path of Object.keys(this.facts)) {
      if (path === 'name') continue;
      const el = this.question(path);
      this.questions.set(path, el);
    }
    this.form.append(
      h('h2', { id: 'questions-heading' }, t.questionsHeading),
      h('p', { class: 'questions-intro' }, t.questionsIntro),
      ...BASIC.map((p) => this.questions.get(p) ?? ''),
      this.furtherHeading,
      this.furtherBox,
      h('p', { class: 'show-all' }, this.showAll, ' ', h('label', { for: 'show-all-questions' }, t.showAll)),
    );

    const save = h(
      'section',
      { class: 'check-save', 'aria-labelledby': 'save-heading' },
      h('h2', { id: 'save-heading' }, t.saveHeading),
      h('p', {}, t.saveIntro),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'f-name' }, t.nameLabel),
        h('p', { class: 'help', id: 'f-name-help' }, t.nameHelp),
        this.nameInput,
      ),
      h('p', {}, this.saveButton),
      this.saveStatus,
      h(
        'p',
        { class: 'remember' },
        this.remember,
        ' ',
        h('label', { for: 'remember-profile' }, t.remember),
        h('span', { class: 'help', id: 'remember-help' }, t.rememberHelp),
      ),
    );

    root.replaceChildren(
      h(
        'div',
        { class: 'check-layout' },
        h('div', { class: 'check-questions' }, this.form, save, this.jump),
        this.results,
      ),
    );

    this.restore();
    this.form.addEventListener('submit', (e) => e.preventDefault());
    this.form.addEventListener('change', (e) => this.changed(e.target));
    this.form.addEventListener('input', (e) => {
      if ((e.target as HTMLInputElement).type === 'number') this.update();
    });
    this.nameInput.addEventListener('input', () => this.persist());
    this.remember.addEventListener('change', () => this.persist());
    this.saveButton.addEventListener('click', () => void this.save());
    this.results.addEventListener('click', (e) => this.answerLink(e));
    this.update();
  }

  private text(b: Bilingual | Partial<Bilingual> | undefined): string {
    return b?.[this.lang] ?? b?.en ?? b?.zh ?? '';
  }

  private codeLabel(path: string, code: string): string {
    const names = path === 'jurisdictions' ? this.jurisdictionNames.get(code) : this.facts[path]?.valueLabels?.[code];
    return names ? this.text(names) : code;
  }

  private formatValue(path: string, value: unknown): string {
    const t = this.t;
    if (value === undefined) return t.notAnswered;
    if (Array.isArray(value)) {
      return value.length === 0
        ? t.noneOfThese
        : value.map((c) => this.codeLabel(path, String(c))).join(t.listSeparator);
    }
    if (typeof value === 'boolean') return value ? t.yes : t.no;
    if (typeof value === 'number') return value.toLocaleString(languageTag(this.lang));
    if (typeof value === 'string') return this.codeLabel(path, value);
    return JSON.stringify(value);
  }

  // ——— questions ———

  private question(path: string): HTMLElement {
    const spec = this.facts[path] as FactSpec;
    const t = this.t;
    const id = questionId(path);
    const helpId = `${id}-help`;
    const hint = h('p', { class: 'hint', id: `${id}-hint` });
    this.hints.set(path, hint);
    const help = h('p', { class: 'help', id: helpId }, this.text(spec.help));

    if (spec.type === 'number' || spec.type === 'string') {
      const input = h('input', {
        type: spec.type === 'number' ? 'number' : 'text',
        id: inputId(path),
        name: path,
        'data-fact': path,
        ...(spec.type === 'number'
          ? {
              min: spec.min === undefined ? undefined : String(spec.min),
              step: spec.integer ? '1' : 'any',
              inputmode: spec.integer ? 'numeric' : 'decimal',
            }
          : {}),
        'aria-describedby': `${helpId} ${id}-hint`,
      });
      return h(
        'div',
        { class: 'question', id, 'data-question': path },
        h('label', { for: inputId(path), class: 'question-label' }, this.text(spec.label)),
        help,
        input,
        hint,
      );
    }

    const box = h(
      'fieldset',
      {
        class: `question question-${spec.type}`,
        id,
        'data-question': path,
        'aria-describedby': `${helpId} ${id}-hint`,
      },
      h('legend', { class: 'question-label' }, this.text(spec.label)),
      help,
    );
    if (spec.type === 'list') {
      if (path === 'jurisdictions') box.append(this.jurisdictionTree(path));
      else if (path === 'sectors') box.append(...this.sectorGroups(path, spec));
      else box.append(this.checklist(path, spec.values ?? []));
      box.append(
        h(
          'div',
          { class: 'choice choice-none' },
          h('input', { type: 'checkbox', id: inputId(path, 'none'), 'data-fact': path, 'data-none': true }),
          h('label', { for: inputId(path, 'none') }, t.noneOfThese),
        ),
      );
    } else {
      const options: [string, string][] =
        spec.type === 'boolean'
          ? [
              ['true', t.yes],
              ['false', t.no],
            ]
          : (spec.values ?? []).map((v) => [v, this.codeLabel(path, v)]);
      options.push(['', t.dontKnow]);
      box.append(
        h(
          'div',
          { class: 'radios' },
          ...options.map(([value, label]) => {
            const rid = inputId(path, value || 'unknown');
            return h(
              'div',
              { class: 'choice' },
              h('input', { type: 'radio', id: rid, name: path, value, 'data-fact': path, checked: value === '' }),
              h('label', { for: rid }, label),
            );
          }),
        ),
      );
    }
    box.append(hint);
    return box;
  }

  private checkbox(path: string, code: string): HTMLElement {
    const id = inputId(path, code);
    return h(
      'div',
      { class: 'choice' },
      h('input', { type: 'checkbox', id, value: code, 'data-fact': path }),
      h('label', { for: id }, this.codeLabel(path, code)),
    );
  }

  private checklist(path: string, codes: readonly string[]): HTMLElement {
    return h('ul', { class: 'choices' }, ...codes.map((c) => h('li', {}, this.checkbox(path, c))));
  }

  /** Jurisdictions as a tree of checkboxes: a city within its province within China. */
  private jurisdictionTree(path: string): HTMLElement {
    const known = new Set(this.facts[path]?.values ?? []);
    const children = new Map<string | null, string[]>();
    for (const j of this.data.jurisdictions) {
      if (!known.has(j.code)) continue;
      const parent = j.parent !== null && known.has(j.parent) ? j.parent : null;
      children.set(parent, [...(children.get(parent) ?? []), j.code]);
    }
    const level = (parent: string | null, cls: string): HTMLElement =>
      h(
        'ul',
        { class: cls },
        ...(children.get(parent) ?? []).map((code) =>
          h('li', {}, this.checkbox(path, code), children.has(code) ? level(code, 'choices tree') : null),
        ),
      );
    return level(null, 'choices tree tree-root');
  }

  /** Sectors grouped by the major-scenario category they belong to. */
  private sectorGroups(path: string, spec: FactSpec): HTMLElement[] {
    const values = new Set(spec.values ?? []);
    const placed = new Set<string>();
    const groups = this.data.sectorGroups.map((g) => {
      const codes = g.fields.filter((c) => values.has(c));
      codes.forEach((c) => placed.add(c));
      return { label: this.text(g.label), codes };
    });
    const rest = [...values].filter((c) => !placed.has(c));
    if (rest.length > 0) groups.push({ label: this.t.otherFields, codes: rest });
    return groups
      .filter((g) => g.codes.length > 0)
      .map((g) => h('fieldset', { class: 'subgroup' }, h('legend', {}, g.label), this.checklist(path, g.codes)));
  }

  private inputs(path: string): HTMLInputElement[] {
    const box = this.questions.get(path);
    return box ? Array.from(box.querySelectorAll<HTMLInputElement>(`input[data-fact="${path}"]`)) : [];
  }

  /** The answer to one question, or undefined when it is not answered (unknown). */
  private readFact(path: string): unknown {
    const spec = this.facts[path] as FactSpec;
    const inputs = this.inputs(path);
    switch (spec.type) {
      case 'list': {
        if (inputs.some((i) => i.dataset.none !== undefined && i.checked)) return [];
        const codes = inputs.filter((i) => i.dataset.none === undefined && i.checked).map((i) => i.value);
        return codes.length > 0 ? codes : undefined;
      }
      case 'enum':
      case 'boolean': {
        const value = inputs.find((i) => i.checked)?.value ?? '';
        if (value === '') return undefined;
        return spec.type === 'boolean' ? value === 'true' : value;
      }
      case 'number': {
        const input = inputs[0];
        if (!input || input.value.trim() === '') {
          input?.removeAttribute('aria-invalid');
          return undefined;
        }
        const n = Number(input.value);
        const ok = Number.isFinite(n) && n >= (spec.min ?? -Infinity) && (!spec.integer || Number.isInteger(n));
        input.setAttribute('aria-invalid', ok ? 'false' : 'true');
        return ok ? n : undefined;
      }
      case 'string': {
        const value = inputs[0]?.value.trim() ?? '';
        return value === '' ? undefined : value;
      }
    }
  }

  private writeFact(path: string, value: unknown): void {
    const spec = this.facts[path];
    if (!spec) return;
    for (const input of this.inputs(path)) {
      if (spec.type === 'list') {
        const list = Array.isArray(value) ? (value as unknown[]) : undefined;
        input.checked = input.dataset.none !== undefined ? list?.length === 0 : (list?.includes(input.value) ?? false);
      } else if (spec.type === 'enum' || spec.type === 'boolean') {
        input.checked = input.value === scalar(value);
      } else {
        input.value = scalar(value);
      }
    }
  }

  /** The profile the answers describe: only answered questions, nested as profile v1. */
  profile(withName = false): Profile {
    const out: Record<string, unknown> = {};
    for (const path of this.questions.keys()) {
      const value = this.readFact(path);
      if (value !== undefined) setPath(out, path, value);
    }
    const name = this.nameInput.value.trim();
    if (withName && name !== '') out.name = name;
    return out;
  }

  private changed(target: EventTarget | null): void {
    const input = target as HTMLInputElement | null;
    if (input?.type === 'checkbox' && input.dataset.fact) {
      const path = input.dataset.fact;
      // "None of these" and the codes exclude each other.
      if (input.checked) {
        for (const other of this.inputs(path)) {
          if (other !== input && (input.dataset.none !== undefined || other.dataset.none !== undefined))
            other.checked = false;
        }
      }
    }
    if (input === this.showAll || input?.dataset.fact) this.update();
  }

  // ——— recompute ———

  private update(): void {
    const profile = this.profile();
    const result = checkProgrammes(this.data.programmes, profile, this.rules, this.data.asOf);
    this.showQuestions(profile, result);
    this.renderResults(result);
    this.persist();
  }

  /**
   * Basic questions always; further ones once a basic one is answered, when an undecided programme needs them (in
   * the order of result.questions), or when answered (so that answers can be changed); every one when asked to.
   * A question keeps its place once shown, so that nothing moves under the visitor's hand.
   */
  private showQuestions(profile: Profile, result: CheckResult): void {
    const started = BASIC.some((p) => getPath(profile, p) !== undefined);
    const needed = new Set(started ? result.questions : []);
    const counts = new Map<string, number>();
    for (const r of result.results) for (const f of r.missing) counts.set(f, (counts.get(f) ?? 0) + 1);
    const all = this.showAll.checked;
    const order = new Set([...result.questions.filter((p) => this.further.includes(p)), ...this.further]);
    let shown = 0;
    for (const path of order) {
      const el = this.questions.get(path);
      if (!el) continue;
      const visible = all || needed.has(path) || getPath(profile, path) !== undefined;
      if (visible && el.parentElement !== this.furtherBox) this.furtherBox.append(el);
      if (el.parentElement === this.furtherBox) el.hidden = !visible;
      if (visible) shown++;
    }
    this.furtherHeading.hidden = shown === 0;
    for (const [path, hint] of this.hints) {
      const n = counts.get(path) ?? 0;
      hint.textContent = n > 0 ? this.t.helpsDecide(n) : '';
      hint.hidden = n === 0;
      const input = this.inputs(path)[0];
      if (input?.type === 'number' && input.getAttribute('aria-invalid') === 'true') {
        hint.textContent = this.t.invalidNumber;
        hint.hidden = false;
      }
    }
  }

  private renderResults(result: CheckResult): void {
    const signature = JSON.stringify(
      result.results.map((r) => [
        r.id,
        r.outcome,
        r.missing,
        r.near_miss?.fact,
        r.conditions.map((c) => [c.result, c.actual]),
      ]),
    );
    if (signature === this.signature) return;
    this.signature = signature;
    const t = this.t;
    const by = (o: Outcome) => result.results.filter((r) => r.outcome === o);
    const applies = by('applies');
    const unknown = by('unknown');
    const none = by('does_not_apply');
    const near = none.filter((r) => r.near_miss);
    const others = none.filter((r) => !r.near_miss);
    const summary = t.summary(applies.length, unknown.length, none.length);
    this.jump.textContent = t.resultsJump(summary);

    const rest = h(
      'details',
      { class: 'others', open: this.othersOpen },
      h('summary', {}, t.showDoesNotApply(others.length, near.length > 0)),
      ...this.byKind(others, 'h5'),
    );
    rest.addEventListener('toggle', () => (this.othersOpen = rest.open));

    this.summary.textContent = summary;
    this.bands.replaceChildren(
      this.band('applies', applies),
      this.band('unknown', unknown),
      h(
        'section',
        {
          class: 'band band-does_not_apply',
          id: 'band-does_not_apply',
          'aria-labelledby': 'band-does_not_apply-heading',
        },
        h(
          'h3',
          { id: 'band-does_not_apply-heading' },
          t.bands.does_not_apply,
          ' ',
          h('span', { class: 'count' }, String(none.length)),
        ),
        h('p', { class: 'band-intro' }, t.bandIntro.does_not_apply),
        ...this.byKind(near, 'h4'),
        others.length > 0 ? rest : null,
      ),
    );
  }

  private band(outcome: 'applies' | 'unknown', list: readonly ProgrammeResult[]): HTMLElement {
    const t = this.t;
    return h(
      'section',
      { class: `band band-${outcome}`, id: `band-${outcome}`, 'aria-labelledby': `band-${outcome}-heading` },
      h(
        'h3',
        { id: `band-${outcome}-heading` },
        t.bands[outcome],
        ' ',
        h('span', { class: 'count' }, String(list.length)),
      ),
      h('p', { class: 'band-intro' }, t.bandIntro[outcome]),
      ...(list.length > 0 ? this.byKind(list, 'h4') : [h('p', { class: 'muted' }, t.noneInBand)]),
    );
  }

  private byKind(list: readonly ProgrammeResult[], heading: 'h4' | 'h5'): HTMLElement[] {
    return KINDS.map((kind) => ({ kind, items: list.filter((r) => r.kind === kind) }))
      .filter((g) => g.items.length > 0)
      .map((g) =>
        h(
          'div',
          { class: `kind-group kind-${g.kind}` },
          h(heading, { class: 'kind-heading' }, this.t.kinds[g.kind]),
          h('ul', { class: 'programmes' }, ...g.items.map((r) => h('li', {}, this.card(r)))),
        ),
      );
  }

  private instrumentHref(id: string): string {
    return `/instruments/${encodeURIComponent(id)}${this.data.linkQuery}`;
  }

  /**
   * One programme: what decided it (near miss, questions to answer), its conditions, effect, instrument and status;
   * its description and sources in full when it applies, folded away otherwise (the bands stay short).
   */
  private card(r: ProgrammeResult): HTMLElement {
    const t = this.t;
    const titleId = `programme-${slug(r.id)}-title`;
    const status = r.instrument.status;
    const statusText = this.data.statusLabels[status ?? 'null'] ?? String(status);
    const description = h('p', { class: 'programme-description' }, this.text(r.description));
    const parts: Child[] = [h('h5', { class: 'programme-title', id: titleId }, this.text(r.title))];
    if (r.outcome === 'applies') parts.push(description);
    if (!r.in_effect) parts.push(h('p', { class: 'not-in-effect' }, t.notInEffect(statusText)));
    if (r.near_miss) {
      const nm = r.near_miss;
      parts.push(
        h(
          'p',
          { class: 'near-miss' },
          h('strong', {}, t.failsOnlyOn),
          t.gap,
          this.text(nm.text),
          ' ',
          h('span', { class: 'cond-value' }, `(${t.yourAnswer}${t.gap}${this.formatValue(nm.fact, nm.actual)})`),
        ),
      );
    }
    if (r.outcome === 'unknown' && r.missing.length > 0) {
      parts.push(
        h(
          'div',
          { class: 'to-decide' },
          h(
            'ul',
            { class: 'answer-links' },
            ...r.missing.map((f) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `#${questionId(f)}`, class: 'answer-link', 'data-answer': f },
                  `${t.answer}${t.gap}${this.text(this.facts[f]?.label ?? FACTS[f]?.label)}`,
                ),
              ),
            ),
          ),
        ),
      );
    }
    parts.push(
      h(
        'ul',
        { class: 'conditions', 'aria-label': t.conditions },
        ...r.conditions.map((c) => this.condition(c, r.instrument.id)),
      ),
      h('p', { class: 'programme-effect' }, h('strong', {}, t.effect), t.gap, this.text(r.effect)),
      h(
        'p',
        { class: 'programme-instrument' },
        h('strong', {}, t.instrument),
        t.gap,
        h('a', { href: this.instrumentHref(r.instrument.id) }, this.text(r.instrument.title)),
        ' ',
        h('span', { class: `badge badge-${status ?? 'not-yet'}` }, statusText),
        r.provision ? h('span', { class: 'provision' }, ` · ${t.provision}${t.gap}${this.text(r.provision)}`) : null,
      ),
    );
    const sources = r.sources.length > 0 ? this.sources(r.sources) : null;
    if (r.outcome === 'applies') parts.push(sources);
    else parts.push(h('details', { class: 'programme-more' }, h('summary', {}, t.moreAbout), description, sources));
    return h(
      'article',
      {
        class: `programme outcome-${r.outcome}`,
        id: `programme-${slug(r.id)}`,
        'data-programme': r.id,
        'aria-labelledby': titleId,
      },
      ...parts,
    );
  }

  /** A condition: ✓ ? ✗, its words, the answer it looked at, and what it cites beyond the programme's instrument. */
  private condition(c: ConditionResult, instrument: string): HTMLElement {
    const t = this.t;
    const mark = c.result === 'applies' ? '✓' : c.result === 'unknown' ? '?' : '✗';
    const citation = c.citation as { instrument?: string; source?: string; provision?: string } | undefined;
    const cites: Child[] = [];
    if (citation?.instrument && (citation.instrument !== instrument || citation.provision)) {
      const title = this.data.instruments[citation.instrument];
      cites.push(
        h('a', { href: this.instrumentHref(citation.instrument) }, title ? this.text(title) : citation.instrument),
      );
    }
    if (citation?.source) cites.push(this.sourceLink(citation.source, this.data.sources[citation.source]));
    if (citation?.provision) cites.push(citation.provision);
    return h(
      'li',
      { class: `cond cond-${c.result}`, 'data-fact': c.fact },
      h('span', { class: 'cond-mark', 'aria-hidden': 'true' }, mark),
      h('span', { class: 'visually-hidden' }, t.conditionLabel(t.conditionResult[c.result])),
      h('span', { class: 'cond-text' }, this.text(c.text)),
      ' ',
      h('span', { class: 'cond-value' }, `${t.yourAnswer}${t.gap}${this.formatValue(c.fact, c.actual)}`),
      cites.length > 0
        ? h(
            'span',
            { class: 'cond-cite' },
            `${t.citedFrom}${t.gap}`,
            ...cites.flatMap((x, i) => (i === 0 ? [x] : ['; ', x])),
          )
        : null,
    );
  }

  private sourceLink(id: string, s: CheckSource | undefined): HTMLElement {
    if (!s) return h('span', {}, id);
    const safe = s.url !== undefined && /^https?:\/\//i.test(s.url);
    return safe
      ? h('a', { href: s.url, rel: 'noopener noreferrer', hreflang: s.language }, s.title)
      : h('span', {}, s.title);
  }

  private sources(list: ProgrammeResult['sources']): HTMLElement {
    const items = list.map((c) => {
      const s = this.data.sources[c.source];
      const bits = [s ? this.kindLabel(s.kind) : undefined, c.locator].filter((b): b is string => !!b);
      return h(
        'span',
        { class: 'citation' },
        this.sourceLink(c.source, s),
        bits.length > 0 ? h('span', { class: 'muted' }, ` (${bits.join(this.t.listSeparator)})`) : null,
      );
    });
    return h(
      'p',
      { class: 'programme-sources' },
      h('strong', {}, this.t.sources),
      this.t.gap,
      ...items.flatMap((x, i) => (i === 0 ? [x] : ['; ', x])),
    );
  }

  private kindLabel(kind: CheckSource['kind']): string {
    const labels: Record<CheckSource['kind'], Bilingual> = {
      official: { en: 'official', zh: '官方' },
      secondary: { en: 'secondary', zh: '二手' },
      mirror: { en: 'mirror', zh: '转载' },
    };
    return this.text(labels[kind]);
  }

  /** "Answer: …" links move to the question and focus its first control (the chosen one for radios). */
  private answerLink(e: MouseEvent): void {
    const link = (e.target as Element | null)?.closest<HTMLAnchorElement>('a[data-answer]');
    const path = link?.dataset.answer;
    if (!path) return;
    const box = this.questions.get(path);
    if (!box) return;
    e.preventDefault();
    if (box.parentElement === null) this.furtherBox.append(box);
    box.hidden = false;
    this.furtherHeading.hidden = false;
    const inputs = this.inputs(path);
    const target = inputs.find((i) => i.type === 'radio' && i.checked) ?? inputs[0];
    box.scrollIntoView({ block: 'center' });
    target?.focus();
    box.classList.remove('flash');
    void box.offsetWidth;
    box.classList.add('flash');
  }

  // ——— saving, on request only ———

  private async save(): Promise<void> {
    const t = this.t;
    this.saveButton.disabled = true;
    this.saveStatus.replaceChildren(h('p', {}, t.saving));
    try {
      const response = await fetch('/api/v1/profiles', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          // the API words its errors in the page's language
          'accept-language': languageTag(this.lang),
        },
        body: JSON.stringify({ profile: this.profile(true) }),
        credentials: 'same-origin',
        referrerPolicy: 'no-referrer',
      });
      const body = (await response.json().catch(() => ({}))) as {
        id?: string;
        token?: string;
        error?: { message?: string; problems?: { where: string; message: string }[] };
      };
      if (response.status !== 201 || !body.id || !body.token) {
        const problems = body.error?.problems ?? [];
        this.saveStatus.replaceChildren(
          h('p', { class: 'save-error' }, `${t.saveFailed}${t.gap}${body.error?.message ?? String(response.status)}`),
          h('ul', {}, ...problems.map((p) => h('li', {}, h('code', {}, p.where), ` ${p.message}`))),
        );
        return;
      }
      this.saveStatus.replaceChildren(
        h('p', { class: 'saved' }, t.savedIntro),
        h(
          'dl',
          { class: 'saved-profile' },
          h('dt', {}, t.savedId),
          h('dd', {}, h('code', { id: 'saved-id' }, body.id)),
          h('dt', {}, t.savedToken),
          h('dd', {}, h('code', { id: 'saved-token' }, body.token)),
        ),
        h('p', { class: 'keep-token' }, t.keepToken),
      );
    } catch (error) {
      this.saveStatus.replaceChildren(
        h('p', { class: 'save-error' }, `${t.saveFailed}${t.gap}${(error as Error).message}`),
      );
    } finally {
      this.saveButton.disabled = false;
    }
  }

  // ——— remembering on this device, only when asked ———

  private persist(): void {
    try {
      if (this.remember.checked) localStorage.setItem(STORAGE_KEY, JSON.stringify(this.profile(true)));
      else localStorage.removeItem(STORAGE_KEY);
    } catch {
      /* storage unavailable: nothing is remembered */
    }
  }

  private restore(): void {
    let stored: unknown;
    try {
      const text = localStorage.getItem(STORAGE_KEY);
      stored = text === null ? undefined : (JSON.parse(text) as unknown);
    } catch {
      stored = undefined;
    }
    if (stored === null || typeof stored !== 'object') return;
    this.remember.checked = true;
    for (const path of this.questions.keys()) this.writeFact(path, getPath(stored, path));
    const name = getPath(stored, 'name');
    if (typeof name === 'string') this.nameInput.value = name;
  }
}

function start(): void {
  const script = document.getElementById('check-data');
  const root = document.getElementById('check-app');
  if (!script || !root) return;
  const data = JSON.parse(script.textContent ?? '{}') as CheckData;
  root.classList.add('check-ready');
  new CheckPage(data, root);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
