import { intakeError } from './intake-error.js';

/**
 * What the schemas' `uniqueItems` rules stood for, checked in linear time:
 * every component and service `bom-ref` is distinct — at any nesting depth,
 * `metadata.component` included — each dependency `ref` appears once, and no
 * dependency lists a target twice.
 *
 * The spec says every bom-ref in the BOM is unique, but its own valid
 * fixtures reuse them inside `formulation` (a workspace repeated in a task),
 * so the check covers what findings and dependencies are keyed by, not every
 * object. Other `uniqueItems` rules (the same hash listed twice, …) carry no
 * meaning for license evaluation and are not enforced.
 */
export const checkCycloneDxUniqueness = (bom: Record<string, unknown>, label: string): void => {
  const seen = new Map<string, string>();
  const metadata = bom.metadata;
  if (isObject(metadata) && isObject(metadata.component)) {
    collectRefs([metadata.component], '/metadata/component', 'components', seen, label, true);
  }
  collectRefs(bom.components, '/components', 'components', seen, label, false);
  collectRefs(bom.services, '/services', 'services', seen, label, false);
  checkDependencies(bom.dependencies, label);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const collectRefs = (
  list: unknown,
  path: string,
  childKey: 'components' | 'services',
  seen: Map<string, string>,
  label: string,
  single: boolean,
): void => {
  if (!Array.isArray(list)) return;
  list.forEach((item: unknown, index) => {
    if (!isObject(item)) return;
    const itemPath = single ? path : `${path}/${index}`;
    const ref = item['bom-ref'];
    if (typeof ref === 'string') {
      const first = seen.get(ref);
      if (first !== undefined) {
        throw intakeError(
          'duplicate-ref',
          `${label} failed validation: bom-ref ${JSON.stringify(ref.slice(0, 200))} at ${itemPath} is already used at ${first}`,
          { ref: ref.slice(0, 200), path: itemPath, firstPath: first },
        );
      }
      seen.set(ref, itemPath);
    }
    // Depth is bounded by the structure scan, so this recursion is too.
    collectRefs(item[childKey], `${itemPath}/${childKey}`, childKey, seen, label, false);
  });
};

const checkDependencies = (dependencies: unknown, label: string): void => {
  if (!Array.isArray(dependencies)) return;
  const refs = new Set<string>();
  dependencies.forEach((dependency: unknown, index) => {
    if (!isObject(dependency)) return;
    const { ref, dependsOn, provides } = dependency;
    if (typeof ref === 'string') {
      if (refs.has(ref)) {
        throw intakeError(
          'duplicate-ref',
          `${label} failed validation: /dependencies/${index} repeats the dependency ref ${JSON.stringify(ref.slice(0, 200))}`,
          { ref: ref.slice(0, 200), path: `/dependencies/${index}` },
        );
      }
      refs.add(ref);
    }
    for (const [field, list] of [
      ['dependsOn', dependsOn],
      ['provides', provides],
    ] as const) {
      if (!Array.isArray(list)) continue;
      const targets = new Set<unknown>();
      for (const target of list) {
        if (targets.has(target)) {
          throw intakeError(
            'duplicate-ref',
            `${label} failed validation: /dependencies/${index}/${field} lists ${JSON.stringify(target)} twice`,
            { path: `/dependencies/${index}/${field}` },
          );
        }
        targets.add(target);
      }
    }
  });
};
