import { type DecidingRule, appliedTo } from './deciding-rule.js';
import type { Verdict } from './finding.js';
import type { CompiledLicensePolicy, Rule } from './compiled-policy.js';
import { type ExpressionNode, type LicenseLeaf, conjoin, renderExpression, renderLeaf } from './expression-tree.js';
import { currentLicenseIds, exceptionByLower } from './spdx-data.js';
import { isWorse } from './verdict.js';

export interface ExpressionVerdict {
  verdict: Verdict;
  /** The policy rule that decided and the license it decided on. */
  rule: DecidingRule;
  /** With OR in the expression: what the licensee would take, every OR replaced by its chosen branch. */
  chosenBranch: string | null;
  notes: string[];
}

interface NodeResult {
  verdict: Verdict;
  rule: DecidingRule;
  /** The expression with each OR replaced by its best branch. */
  effective: ExpressionNode;
  hasOr: boolean;
}

const leafRule = (node: LicenseLeaf, policy: CompiledLicensePolicy, notes: Set<string>): Rule => {
  let base = policy.licenseRule(node.license);
  if (base === undefined) {
    base = policy.unknownRule;
    notes.add(
      currentLicenseIds.has(node.license)
        ? `${node.license} is in no category of the policy: judged as unknown`
        : `${node.license} is not an SPDX id, alias or name the policy knows: judged as unknown`,
    );
  }
  if (node.plus) notes.add(`${node.license}+ is judged as ${node.license}: later versions are not known to the policy`);
  if (node.exception === null) return base;
  if (exceptionByLower.get(node.exception.toLowerCase()) !== node.exception) {
    // An exception nobody can read might restrict as well as grant: no better
    // than the base license, and no better than an unknown license.
    notes.add(`${node.exception} is not an SPDX exception: judged as unknown`);
    return isWorse(policy.unknownRule.verdict, base.verdict) ? policy.unknownRule : base;
  }
  const pair = policy.exceptionRule(node.license, node.exception);
  if (pair !== undefined) return pair;
  notes.add(`no rule for ${node.license} WITH ${node.exception}: the rule of ${node.license} applies`);
  return base;
};

const evaluateNode = (node: ExpressionNode, policy: CompiledLicensePolicy, notes: Set<string>): NodeResult => {
  if (node.type === 'license') {
    const rule = leafRule(node, policy, notes);
    return { verdict: rule.verdict, rule: appliedTo(rule.basis, renderLeaf(node)), effective: node, hasOr: false };
  }
  const results = node.children.map((child) => evaluateNode(child, policy, notes));
  const [first, ...rest] = results;
  if (first === undefined) throw new Error('a conjunction without children');
  if (node.type === 'or') {
    // The licensee may pick any branch: the best one, the leftmost on a tie.
    const best = rest.reduce((chosen, result) => (isWorse(chosen.verdict, result.verdict) ? result : chosen), first);
    return { ...best, hasOr: true };
  }
  const worstResult = rest.reduce((decided, result) => (isWorse(result.verdict, decided.verdict) ? result : decided), first);
  return {
    verdict: worstResult.verdict,
    rule: worstResult.rule,
    effective: conjoin('and', results.map((result) => result.effective)),
    hasOr: results.some((result) => result.hasOr),
  };
};

/** One pass over the tree: a leaf gets its rule, AND the worst child, OR the best child. */
export const evaluateExpressionTree = (tree: ExpressionNode, policy: CompiledLicensePolicy): ExpressionVerdict => {
  const notes = new Set<string>();
  const result = evaluateNode(tree, policy, notes);
  return {
    verdict: result.verdict,
    rule: result.rule,
    chosenBranch: result.hasOr ? renderExpression(result.effective) : null,
    notes: [...notes],
  };
};
