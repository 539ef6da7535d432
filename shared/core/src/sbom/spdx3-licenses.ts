import { intakeError } from './intake-error.js';

export interface Spdx3Graph {
  byId: Map<string, Record<string, unknown>>;
  maxDepth: number;
}

/**
 * One license element of an SPDX 3 graph → an SPDX expression string, the
 * form every other format hands the evaluator. Expanded-licensing trees
 * (sets, or-later, with-addition) are elements that point at elements, so a
 * hostile graph can loop or share a subtree at every level (2^depth leaves
 * from a few lines): the walk is bounded both in depth and in nodes visited.
 */
const maxNodes = 10_000;

const listedLicense = /^https?:\/\/spdx\.org\/licenses\/([A-Za-z0-9.+-]+)$/u;
const individuals: Readonly<Record<string, string>> = { NoAssertionLicense: 'NOASSERTION', NoneLicense: 'NONE' };

/** A custom license IRI ends in its LicenseRef- id (…#LicenseRef-x or …/LicenseRef-x); otherwise the IRI is the id. */
export const customLicenseId = (iri: string): string => {
  const at = iri.lastIndexOf('LicenseRef-');
  return at === -1 ? iri : iri.slice(at);
};

export const spdx3LicenseExpression = (target: unknown, graph: Spdx3Graph): string => {
  const budget = { nodes: 0 };
  return render(target, graph, 0, budget);
};

const render = (target: unknown, graph: Spdx3Graph, depth: number, budget: { nodes: number }): string => {
  if (depth > graph.maxDepth) {
    throw intakeError('too-deep', `SPDX 3 license tree nests deeper than ${graph.maxDepth} levels (or loops)`, { limit: graph.maxDepth });
  }
  if (++budget.nodes > maxNodes) {
    throw intakeError('too-large', `SPDX 3 license tree has more than ${maxNodes} nodes`, { limit: maxNodes });
  }
  if (typeof target === 'string') {
    const element = graph.byId.get(target);
    return element ? renderElement(target, element, graph, depth, budget) : renderIri(target);
  }
  if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
    const element = target as Record<string, unknown>;
    const id = element.spdxId ?? element['@id'];
    return renderElement(typeof id === 'string' ? id : '', element, graph, depth, budget);
  }
  throw invalid('a license reference is neither an spdxId nor an element');
};

/** An IRI no element in the document defines: a listed license, a NoAssertion/None individual, or a LicenseRef. */
const renderIri = (iri: string): string => {
  const listed = listedLicense.exec(iri);
  if (listed?.[1]) return listed[1];
  const last = iri.slice(Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#')) + 1);
  const individual = individuals[last];
  if (individual !== undefined) return individual;
  if (iri.includes('LicenseRef-')) return customLicenseId(iri);
  throw invalid(`license reference ${JSON.stringify(iri.slice(0, 200))} is not an element of the document`);
};

const renderElement = (
  id: string,
  element: Record<string, unknown>,
  graph: Spdx3Graph,
  depth: number,
  budget: { nodes: number },
): string => {
  const type = element.type ?? element['@type'];
  const child = (value: unknown) => render(value, graph, depth + 1, budget);
  switch (type) {
    case 'simplelicensing_LicenseExpression': {
      const expression = element.simplelicensing_licenseExpression;
      if (typeof expression !== 'string') throw invalid(`${JSON.stringify(id.slice(0, 200))} has no simplelicensing_licenseExpression`);
      return expression;
    }
    case 'expandedlicensing_ListedLicense':
    case 'expandedlicensing_ListedLicenseException':
      return listedLicense.exec(id)?.[1] ?? id.slice(id.lastIndexOf('/') + 1);
    case 'expandedlicensing_CustomLicense':
    case 'expandedlicensing_CustomLicenseAddition':
      return customLicenseId(id);
    case 'expandedlicensing_IndividualLicensingInfo':
      return renderIri(id);
    case 'expandedlicensing_ConjunctiveLicenseSet':
    case 'expandedlicensing_DisjunctiveLicenseSet': {
      const members = element.expandedlicensing_member;
      if (!Array.isArray(members) || members.length === 0) throw invalid(`${JSON.stringify(id.slice(0, 200))} has no members`);
      const operator = type === 'expandedlicensing_ConjunctiveLicenseSet' ? ' AND ' : ' OR ';
      return `(${members.map(child).join(operator)})`;
    }
    case 'expandedlicensing_OrLaterOperator':
      return `${child(element.expandedlicensing_subjectLicense)}+`;
    case 'expandedlicensing_WithAdditionOperator':
      return `(${child(element.expandedlicensing_subjectExtendableLicense)} WITH ${child(element.expandedlicensing_subjectAddition)})`;
    default:
      throw invalid(`${JSON.stringify(id.slice(0, 200))} of type ${JSON.stringify(String(type).slice(0, 80))} is not a license`);
  }
};

const invalid = (message: string) => intakeError('schema', `SPDX 3 JSON-LD failed validation: ${message}`, { format: 'spdx', encoding: 'json-ld' });
