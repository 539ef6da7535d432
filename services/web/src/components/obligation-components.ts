import { h } from '../lib/dom.js';
import { plural } from '../lib/format.js';

interface ComponentRef {
  name: string;
  version: string | null;
}

const label = (component: ComponentRef): string => (component.version ? `${component.name} ${component.version}` : component.name);

/** Which components bring an obligation: the first few inline, the rest behind a disclosure (an SBOM may have thousands). */
export function componentList(components: readonly ComponentRef[]): HTMLElement {
  const shown = components.slice(0, 5).map(label).join(', ');
  if (components.length <= 5) return h('span', {}, shown);
  return h(
    'details',
    {},
    h('summary', {}, `${shown} and ${plural(components.length - 5, 'more')}`),
    h('p', {}, components.slice(5).map(label).join(', ')),
  );
}
