import type { ComponentLicenseData, LicenseChoice } from '../sbom/component.js';
import type { IdMapping } from './finding.js';
import { type CompiledLicensePolicy, type OutcomeKey, compileLicensePolicy } from './compiled-policy.js';
import { type ExpressionVerdict, evaluateExpressionTree } from './evaluate-expression.js';
import { expressionLimits } from './expression-limits.js';
import { type ExpressionNode, conjoin, countLeaves, leaf, renderExpression } from './expression-tree.js';
import type { LicenseEvaluation } from './license-evaluation.js';
import { type NormalizeResult, normalizeExpressionText } from './normalize-expression.js';
import { ambiguityNote, normalizePhrase } from './normalize-phrase.js';
import type { LicensePolicy } from './policy-schema.js';
import { choiceText, selectLicenseEntries } from './select-license-entries.js';
import { isWorse } from './verdict.js';
import { type LicenseCombination, type LicenseContext, joinNote, joinOf, joinOperator, sourceOf } from './license-combination.js';
import { splitLicenseList } from './split-license-list.js';
import { resolveLicenseRefs } from './resolve-license-refs.js';

type Normalized = NormalizeResult;

/**
 * Caches grow with the distinct texts seen. Past this many entries they start
 * over, and long keys are not kept at all: real license texts are short and
 * repeat, hostile ones are long and unique, and must not fill the memory.
 */
const maxCacheEntries = 20_000;
const maxCachedKeyLength = 1024;

const remember = <V>(cache: Map<string, V>, key: string, compute: () => V): V => {
  if (key.length > maxCachedKeyLength) return compute();
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= maxCacheEntries) cache.clear();
  cache.set(key, value);
  return value;
};

const noContext: LicenseContext = { maven: false };

const quote = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);

/**
 * A license id or name as written. It is looked up whole first, since names
 * hold "and" and parentheses ("Common Development and Distribution License");
 * only then is it read as an expression ("MPL 2.0 or EPL 1.0"), which must be
 * recognized in every part; failing both, it stays one unknown license.
 */
const normalizeIdOrName = (text: string, policy: CompiledLicensePolicy): Normalized => {
  const whole = normalizePhrase(text, policy.alias);
  if (whole !== null) {
    const tree = whole.tree;
    const notes = whole.ambiguous === undefined ? [] : [ambiguityNote(text, whole.ambiguous)];
    return { ok: true, tree, expression: renderExpression(tree), mappings: whole.mappings, hasOperator: false, hasUnknown: whole.ambiguous !== undefined, notes };
  }
  const asExpression = normalizeExpressionText(text, policy.alias, 'name');
  if (asExpression.ok && asExpression.hasOperator) {
    return { ...asExpression, notes: [...asExpression.notes, `an expression was written as a license name: ${quote(text)}`] };
  }
  if (!asExpression.ok && asExpression.outcome === 'too-large') return asExpression;
  const tree = leaf(text);
  return { ok: true, tree, expression: renderExpression(tree), mappings: [], hasOperator: false, hasUnknown: true, notes: [] };
};

export interface LicenseEngine {
  readonly policy: LicensePolicy;
  /** Normalizes one license text (an expression, or an id or name) to a canonical expression. */
  normalize: (kind: LicenseChoice['kind'], text: string) => Normalized;
  /** Evaluates a normalized expression; memoized by its canonical text. */
  evaluateExpression: (tree: ExpressionNode) => ExpressionVerdict;
  /** One component's license data → outcome, expression, verdict; memoized by the data and context. */
  evaluateLicenseData: (data: ComponentLicenseData, context?: LicenseContext) => LicenseEvaluation;
}

const dedupeMappings = (mappings: IdMapping[]): IdMapping[] => {
  const seen = new Set<string>();
  return mappings.filter((mapping) => {
    const key = `${mapping.method}\u0000${mapping.from}\u0000${mapping.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const createEngine = (policy: LicensePolicy): LicenseEngine => {
  const compiled = compileLicensePolicy(policy);
  const normalized = new Map<string, Normalized>();
  const evaluated = new Map<string, ExpressionVerdict>();
  const components = new Map<string, LicenseEvaluation>();

  const normalize = (kind: LicenseChoice['kind'], text: string): Normalized =>
    remember(normalized, `${kind === 'expression' ? 'e' : 'n'}\u0000${text}`, () =>
      kind === 'expression' ? normalizeExpressionText(text, compiled.alias, 'expression') : normalizeIdOrName(text, compiled),
    );

  const evaluateExpression = (tree: ExpressionNode): ExpressionVerdict =>
    remember(evaluated, renderExpression(tree), () => evaluateExpressionTree(tree, compiled));

  const byOutcome = (outcome: Exclude<OutcomeKey, 'noComponents'>, notes: string[], combination: LicenseCombination): LicenseEvaluation => {
    const rule = compiled.outcomeRule(outcome);
    const named = { missing: 'missing', noassertion: 'noassertion', none: 'none', unparsable: 'unparsable', tooLarge: 'too-large' } as const;
    return { outcome: named[outcome], expression: null, mappings: [], verdict: rule.verdict, rule: rule.rule, chosenBranch: null, notes, combination };
  };

  /**
   * One entry as written → its licenses. Mapping comes first: only text that
   * does not map whole is tried as a comma or slash list, and the list is
   * taken only when every part maps.
   */
  const readEntry = (entry: LicenseChoice, text: string): { results: Normalized[]; split: boolean } => {
    const whole = normalize(entry.kind, text);
    if (whole.ok && !whole.hasUnknown) return { results: [whole], split: false };
    if (whole.ok || whole.outcome === 'unparsable') {
      const parts = splitLicenseList(text);
      const read = parts?.map((part) => normalize('name', part));
      if (read?.every((part) => part.ok && !part.hasUnknown)) return { results: read, split: true };
    }
    return { results: [whole], split: false };
  };

  const evaluate = (data: ComponentLicenseData, context: LicenseContext): LicenseEvaluation => {
    const { entries, notes, selection } = selectLicenseEntries(data);
    const from = sourceOf(data);
    if (from === 'evidence') notes.push('licenses taken from evidence.licenses: the component states none itself');
    if (from === 'enclosing') notes.push('license of the enclosing module: this package of it states none itself');
    if (entries.length > expressionLimits.maxEntries) {
      return byOutcome('tooLarge', [...notes, `${entries.length} license entries (limit ${expressionLimits.maxEntries})`], { selection, join: 'single', from, splitLists: 0 });
    }
    const trees: ExpressionNode[] = [];
    const seen = new Set<string>();
    const mappings: IdMapping[] = [];
    let failure: { outcome: 'unparsable' | 'too-large'; note: string } | null = null;
    let empty = 0;
    let noassertion = 0;
    let none = 0;
    let splitLists = 0;
    for (const entry of entries) {
      const text = choiceText(entry).trim();
      const upper = text.toUpperCase();
      if (text === '') empty += 1;
      else if (upper === 'NOASSERTION') noassertion += 1;
      else if (upper === 'NONE') none += 1;
      else {
        const { results, split } = readEntry(entry, text);
        if (split) {
          splitLists += 1;
          notes.push(`${quote(text)} read as a list of ${results.length} licenses`);
        }
        for (const result of results) {
          if (!result.ok) {
            // too-large outranks unparsable: it is the one to look at first.
            if (failure === null || result.outcome === 'too-large') {
              failure = { outcome: result.outcome, note: `${result.outcome}: ${quote(text)}: ${result.message}` };
            }
            continue;
          }
          mappings.push(...result.mappings);
          notes.push(...result.notes);
          const resolved = context.licenseRefs === undefined ? result.tree : resolveLicenseRefs(result.tree, context.licenseRefs, compiled, mappings, notes);
          const expression = resolved === result.tree ? result.expression : renderExpression(resolved);
          if (seen.has(expression)) {
            notes.push(`${expression} is listed more than once`);
            continue;
          }
          seen.add(expression);
          trees.push(resolved);
        }
      }
    }
    if (empty > 0) notes.push(`${empty} empty license ${empty === 1 ? 'entry' : 'entries'} ignored`);
    const join = joinOf(trees.length, context, policy);
    const combination: LicenseCombination = Object.freeze({ selection, join, from, splitLists });
    if (trees.length === 0 && failure === null) {
      if (noassertion > 0) return byOutcome('noassertion', notes, combination);
      if (none > 0) return byOutcome('none', notes, combination);
      return byOutcome('missing', notes, combination);
    }
    if (noassertion + none > 0) notes.push('NOASSERTION / NONE entries set aside: other entries state a license');
    const joinText = joinNote(trees.length, join);
    if (joinText !== null) notes.push(joinText);
    const tree = trees.length === 0 ? null : conjoin(joinOperator(join), trees);
    if (tree !== null && countLeaves(tree) > expressionLimits.maxLeaves) {
      return byOutcome('tooLarge', [...notes, `more than ${expressionLimits.maxLeaves} licenses in all entries`], combination);
    }
    const result = tree === null ? null : evaluateExpression(tree);
    const base = {
      combination,
      expression: tree === null ? null : renderExpression(tree),
      mappings: dedupeMappings(mappings),
      chosenBranch: result?.chosenBranch ?? null,
    };
    if (failure !== null) {
      // The readable entries still count: an unreadable entry never hides a deny.
      const outcomeRule = compiled.outcomeRule(failure.outcome === 'too-large' ? 'tooLarge' : 'unparsable');
      const decided = result !== null && isWorse(result.verdict, outcomeRule.verdict) ? result : outcomeRule;
      return {
        ...base,
        outcome: failure.outcome,
        verdict: decided.verdict,
        rule: decided.rule,
        notes: [...notes, ...(result?.notes ?? []), failure.note],
      };
    }
    if (result === null) throw new Error('unreachable: no tree and no failure');
    return { ...base, outcome: 'evaluated', verdict: result.verdict, rule: result.rule, notes: [...notes, ...result.notes] };
  };

  const componentKey = (data: ComponentLicenseData, context: LicenseContext): string => {
    let key = `${data.source}\u0000${data.from ?? ''}\u0000${context.maven ? 'm' : ''}`;
    for (const choice of data.choices) key += `\u0001${choice.acknowledgement ?? ''}\u0000${choice.kind}\u0000${choiceText(choice)}`;
    return key;
  };

  return {
    policy,
    normalize,
    evaluateExpression,
    evaluateLicenseData: (data, context = noContext) =>
      // The document's LicenseRef names differ per document: such components are not memoized across documents.
      context.licenseRefs !== undefined && context.licenseRefs.size > 0 && data.choices.some((choice) => /licenseref-/iu.test(choiceText(choice)))
        ? evaluate(data, context)
        : remember(components, componentKey(data, context), () => evaluate(data, { maven: context.maven })),
  };
};

const engines = new WeakMap<LicensePolicy, LicenseEngine>();

/** The engine of a policy, with its memo caches; one per policy object (treat policies as immutable). */
export const licenseEngineFor = (policy: LicensePolicy): LicenseEngine => {
  let engine = engines.get(policy);
  if (engine === undefined) {
    engine = createEngine(policy);
    engines.set(policy, engine);
  }
  return engine;
};

/** One component's license data under a policy, before waivers. Memoized and shared: copy before changing it. */
export const evaluateLicenseData = (data: ComponentLicenseData, policy: LicensePolicy, context?: LicenseContext): LicenseEvaluation =>
  licenseEngineFor(policy).evaluateLicenseData(data, context);

/** The canonical form of an expression as written, or null when it cannot be read. */
export const normalizeLicenseExpression = (text: string, policy: LicensePolicy): string | null => {
  const result = licenseEngineFor(policy).normalize('expression', text.trim());
  return result.ok ? result.expression : null;
};
