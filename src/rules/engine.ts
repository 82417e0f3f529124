// The rules engine's public surface: one import for the server, the CLI and the browser (no Node-only imports).

export { OPS, all, any, cond, fold, kindOf, nodesOf, not, numberRule } from './ast.ts';
export type {
  AllNode,
  AllRule,
  Annotations,
  AnyNode,
  AnyRule,
  Condition,
  LeafNode,
  NotNode,
  NotRule,
  Op,
  Rule,
  RuleCitation,
  RuleKind,
  RuleLabel,
  RuleNode,
  RuleVisitor,
} from './ast.ts';
export { OPS_BY_TYPE, checkRule, isValidRule, opsFor } from './check.ts';
export type { RuleIssue } from './check.ts';
export { InvalidRuleError, compile } from './compile.ts';
export type { CompiledRule } from './compile.ts';
export { DEFAULT_CONTEXT, MAX_MASK_CODES, createContext, isPrepared } from './context.ts';
export type { ContextOptions, PreparedProfile, RuleContext } from './context.ts';
export { FALSE, OUTCOMES, TRUE, UNKNOWN, and3, codeOf, not3, or3, outcomeOf } from './evaluate.ts';
export type { Outcome, OutcomeCode } from './evaluate.ts';
export { describeCondition, explain } from './explain.ts';
export type {
  ExplainedGroup,
  ExplainedLeaf,
  ExplainedNode,
  ExplainedNot,
  Explanation,
  MissingFact,
  NearMiss,
} from './explain.ts';
export { FACTS, JURISDICTION_TREE, isFactValue, withValues } from './facts.ts';
export type {
  Bilingual,
  FactCatalogue,
  FactPath,
  FactSpec,
  FactType,
  JurisdictionTree,
  Profile,
  RiskLevel,
} from './facts.ts';
export { INDEXED_FACTS, ProfileIndex, matchProfile } from './index.ts';
export type { IndexMatch, MatchOptions, MatchPlan, ProfileMatch } from './index.ts';
export { factValue, interpret, testCondition, withAncestors } from './interpret.ts';
