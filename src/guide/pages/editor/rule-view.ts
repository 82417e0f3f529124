// The rule editor's view: a programme's eligibility rule as readable conditions (all of / any of / not, each
// condition in words with what it cites), and beside it which sample profiles it would match — applies, may apply
// (with the facts that would decide it), does not apply (with the condition that kept it out). From
// editorial/rule-samples.ts, which runs the rules engine and the guide's own check.
import { html, type SafeHtml } from '../../../domain/html.ts';
import type { RuleSamples } from '../../../editorial/rule-samples.ts';
import type { Outcome } from '../../../relevance/check.ts';
import type { ExplainedNode } from '../../../rules/engine.ts';
import type { PageContext } from '../../context.ts';

function outcomeLabel(ctx: PageContext, outcome: Outcome): string {
  switch (outcome) {
    case 'applies':
      return ctx.t('check.bands.applies');
    case 'unknown':
      return ctx.t('check.bands.unknown');
    case 'does_not_apply':
      return ctx.t('check.bands.does_not_apply');
  }
}

function conditionTree(ctx: PageContext, node: ExplainedNode): SafeHtml {
  const text = ctx.text(node.text);
  const cited = node.citation
    ? html` <span class="muted small rule-cites"
        >${ctx.t('ed.ruleCites')}
        ${[node.citation.instrument, node.citation.provision, node.citation.source].filter((x) => x).join(' · ')}</span
      >`
    : '';
  switch (node.kind) {
    case 'leaf':
      return html`<li class="rule-leaf">
        ${text}${cited} <code class="muted small">${node.fact} ${node.op} ${JSON.stringify(node.value)}</code>
      </li>`;
    case 'not':
      return html`<li class="rule-group rule-not">
        <span class="rule-group-label">${text}</span>${cited}
        <ul>
          ${conditionTree(ctx, node.child)}
        </ul>
      </li>`;
    case 'all':
    case 'any':
      return html`<li class="rule-group rule-${node.kind}">
        <span class="rule-group-label">${text}</span>${cited}
        <ul>
          ${node.children.map((c) => conditionTree(ctx, c))}
        </ul>
      </li>`;
  }
}

/** The rule as conditions and the sample profiles' outcomes (or the rule's problems, when it cannot be run). */
export function ruleView(ctx: PageContext, checked: RuleSamples): SafeHtml {
  const { t } = ctx;
  if (!checked.ok) {
    return html`<section class="rule-view" aria-labelledby="rule-view-heading">
      <h3 id="rule-view-heading">${t('ed.ruleConditions')}</h3>
      <p class="notice" role="note">${t('ed.ruleCannotRun')}</p>
      <ul class="rule-issues">
        ${checked.issues.map((i) => html`<li><code>${i.path || t('ed.ruleRoot')}</code>: ${i.message}</li>`)}
      </ul>
    </section>`;
  }
  const factLabel = (fact: string) => {
    const spec = checked.facts[fact];
    return spec ? ctx.text(spec.label) : fact;
  };
  const why = (o: RuleSamples & { ok: true }, i: number): SafeHtml => {
    const r = o.outcomes[i]?.result;
    if (!r) return html``;
    switch (r.outcome) {
      case 'applies':
        return html`${t('ed.ruleWhyApplies')}`;
      case 'unknown':
        return html`${t('ed.ruleWhyUnknown', { facts: r.missing.map(factLabel).join(ctx.lang === 'zh' ? '、' : ', ') })}`;
      case 'does_not_apply': {
        const failed = r.conditions.filter((c) => c.result === 'does_not_apply').map((c) => ctx.text(c.text));
        return html`${t('ed.ruleWhyNot', {
          conditions: r.near_miss ? ctx.text(r.near_miss.text) : failed.join(ctx.lang === 'zh' ? '；' : '; '),
        })}`;
      }
    }
  };
  return html`<section class="rule-view" aria-labelledby="rule-view-heading">
    <h3 id="rule-view-heading">${t('ed.ruleConditions')}</h3>
    <ul class="rule-tree">
      ${conditionTree(ctx, checked.tree)}
    </ul>
    <h3 id="rule-samples-heading">${t('ed.ruleSamples')}</h3>
    <p class="hint">${t('ed.ruleSamplesHint')}</p>
    <table class="rule-samples" aria-labelledby="rule-samples-heading">
      <thead>
        <tr>
          <th scope="col">${t('ed.ruleSample')}</th>
          <th scope="col">${t('ed.ruleOutcome')}</th>
          <th scope="col">${t('ed.ruleWhy')}</th>
        </tr>
      </thead>
      <tbody>
        ${checked.outcomes.map(
          (o, i) =>
            html`<tr class="rule-sample rule-sample-${o.result.outcome}" data-sample="${o.sample.id}">
              <th scope="row">${ctx.text(o.sample.name)}</th>
              <td><span class="outcome outcome-${o.result.outcome}">${outcomeLabel(ctx, o.result.outcome)}</span></td>
              <td>${why(checked, i)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
