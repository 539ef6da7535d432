import type { SbomFormat } from './component.js';

const encodingLabels: Record<SbomFormat['encoding'], string> = {
  json: 'JSON',
  xml: 'XML',
  'tag-value': 'tag-value',
  'json-ld': 'JSON-LD',
};

/** "CycloneDX 1.6 JSON", "SPDX 2.3 tag-value", "SPDX 3.0.1 JSON-LD (gzip)": the one way every surface names a format. */
export const formatLabel = (format: SbomFormat): string =>
  `${format.kind === 'cyclonedx' ? 'CycloneDX' : 'SPDX'} ${format.specVersion} ${encodingLabels[format.encoding]}${format.compression ? ` (${format.compression})` : ''}`;
