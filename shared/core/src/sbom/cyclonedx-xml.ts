import type { ParsedSbom } from './component.js';
import { isCycloneDxVersion } from './cyclonedx-schemas.js';
import { finishCycloneDx } from './cyclonedx-validate.js';
import { mapCycloneDxXml } from './cyclonedx-xml-model.js';
import { describeXmlRoot, unsupportedXmlRoot } from './describe-non-sbom.js';
import { intakeError, unsupportedFormat } from './intake-error.js';
import type { SbomLimits } from './limits.js';
import { parseXmlTree } from './xml-tree.js';

const cycloneDxNamespace = /^http:\/\/cyclonedx\.org\/schema\/bom\/(.+)$/u;

/** CycloneDX XML: the root `bom` in a `http://cyclonedx.org/schema/bom/1.x` namespace. */
export const parseCycloneDxXml = (text: string, limits: SbomLimits): ParsedSbom => {
  const root = parseXmlTree(text, limits.maxDepth);
  if (root.name !== 'bom') {
    const unsupported = unsupportedXmlRoot(root.name, root.namespace, root.children.map((child) => child.name));
    if (unsupported !== null) throw unsupportedFormat(unsupported);
    throw intakeError('not-an-sbom', `not an SBOM: looks like ${describeXmlRoot(root.name)}`, {
      root: root.name.slice(0, 200),
    });
  }
  const version = cycloneDxNamespace.exec(root.namespace ?? '')?.[1];
  if (version === undefined) {
    throw intakeError(
      'not-an-sbom',
      `not an SBOM: <bom> is in namespace ${JSON.stringify(root.namespace)}, not http://cyclonedx.org/schema/bom/1.x`,
      { namespace: root.namespace },
    );
  }
  // 1.0 and 1.1 were XML-only and predate most of the license model we read.
  if (version === '1.0' || version === '1.1') throw unsupportedFormat(`CycloneDX ${version} XML`, { specVersion: version });
  if (!isCycloneDxVersion(version)) {
    throw intakeError(
      'unsupported-version',
      `CycloneDX XML namespace version ${JSON.stringify(version.slice(0, 40))} is not supported (1.2–1.7 are)`,
      { format: 'cyclonedx', encoding: 'xml', specVersion: version.slice(0, 40) },
    );
  }
  return finishCycloneDx(mapCycloneDxXml(root, version), version, 'xml', limits);
};
