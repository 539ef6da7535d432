import { cycloneDxSchema, type CycloneDxVersion } from './cyclonedx-schemas.js';
import { intakeError } from './intake-error.js';
import type { XmlElement } from './xml-tree.js';

/**
 * CycloneDX XML → the CycloneDX JSON model, so that one validator (the
 * official JSON schema of the same version) judges both encodings.
 *
 * Why not the XML schema: the library's XSD validator needs the native
 * libxmljs2 (a 1.5-minute source build, and 0.37 needs Node 22), a native
 * XML parser on the hostile-input path, and two validators that could
 * disagree. The JSON schema encodes the same model.
 *
 * What is mapped: everything license evaluation reads (components at any
 * depth, licenses, identity) and everything the spec's invalid-* fixtures
 * exercise (hashes, swid, pedigree patches and issues, scope, properties,
 * services and their data, dependencies, metadata timestamp/licenses,
 * citations). Parts we do not read (evidence, model cards, crypto, formulation,
 * vulnerabilities, …) are left out of the model rather than half-mapped: the
 * JSON schema then neither checks nor wrongly rejects them.
 *
 * XML-specific checks the JSON schema cannot make on a mapped model: a
 * single-valued element written twice (`<id>` twice in one `<license>`), and
 * an element in the CycloneDX namespace that the model does not have at all
 * (`<distribution>` in 1.7 metadata) — for the element kinds mapped here, the
 * allowed names are the JSON schema's property names of the same version.
 * Elements in other namespaces are extensions the spec allows, and are skipped.
 */
type Json = Record<string, unknown>;

export const mapCycloneDxXml = (root: XmlElement, version: CycloneDxVersion): Json => {
  const mapper = new XmlModelMapper(root.namespace ?? '', version);
  return mapper.bom(root);
};

/**
 * XML's whitespace rules, applied before the JSON schema sees a value: the
 * XSD types text elements as xs:normalizedString (name, version, license
 * name, …), whose value has every CR, LF and TAB replaced by a space, or as
 * xs:token / xs:anyURI / enumerations, which also collapse runs of spaces.
 * keycloak-10.0.2's bom.xml has a license name with a line break: legal XML
 * that the JSON schema's `^(.*)$` would refuse. The elements below are
 * xs:string in the XSDs (or free text in later versions) and keep their
 * line breaks; cyclonedx-schemas.ts drops `^(.*)$` for XML validation.
 */
const freeText: ReadonlySet<string> = new Set(['notes', 'comment', 'description', 'note', 'message']);
const normalizedString = (value: string): string => value.replace(/[\t\n\r]/gu, ' ');

const booleanValue = (value: string): boolean | string =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

const integerValue = (value: string): number | string => (/^[+-]?\d{1,15}$/u.test(value) ? Number(value) : value);

class XmlModelMapper {
  private readonly label: string;
  private readonly allowed: Readonly<Record<string, ReadonlySet<string>>>;
  private readonly legacyLicenseChoice: boolean;

  constructor(
    private readonly namespace: string,
    private readonly version: CycloneDxVersion,
  ) {
    this.label = `CycloneDX ${version} XML`;
    this.legacyLicenseChoice = version === '1.2' || version === '1.3' || version === '1.4';
    const schema = cycloneDxSchema(version) as { properties?: Json; definitions?: Record<string, { properties?: Json }> };
    const names = (properties: Json | undefined): ReadonlySet<string> => new Set(Object.keys(properties ?? {}));
    const definitions = schema.definitions ?? {};
    this.allowed = {
      bom: names(schema.properties),
      metadata: names(definitions.metadata?.properties),
      component: names(definitions.component?.properties),
      service: names(definitions.service?.properties),
      license: names(definitions.license?.properties),
    };
  }

  bom(root: XmlElement): Json {
    const path = '/bom';
    this.checkNames(root, 'bom', path);
    const bom: Json = {
      bomFormat: 'CycloneDX',
      specVersion: this.version,
    };
    this.attribute(bom, root, 'serialNumber');
    this.attribute(bom, root, 'version', integerValue);
    this.one(bom, root, 'metadata', path, (el, p) => this.metadata(el, p));
    this.list(bom, root, 'components', path, (el, p) => this.component(el, p));
    this.list(bom, root, 'services', path, (el, p) => this.service(el, p));
    this.list(bom, root, 'externalReferences', path, (el, p) => this.externalReference(el, p));
    this.list(bom, root, 'dependencies', path, (el) => this.dependency(el));
    this.list(bom, root, 'properties', path, (el) => this.property(el));
    this.list(bom, root, 'citations', path, (el, p) => this.citation(el, p));
    return bom;
  }

  private metadata(el: XmlElement, path: string): Json {
    this.checkNames(el, 'metadata', path);
    const metadata: Json = {};
    this.text(metadata, el, 'timestamp', path);
    this.one(metadata, el, 'component', path, (c, p) => this.component(c, p));
    this.licenses(metadata, el, path);
    this.list(metadata, el, 'properties', path, (p) => this.property(p));
    this.one(metadata, el, 'distributionConstraints', path, (d, p) => {
      const constraints: Json = {};
      this.text(constraints, d, 'tlp', p);
      return constraints;
    });
    return metadata;
  }

  private component(el: XmlElement, path: string): Json {
    this.checkNames(el, 'component', path);
    const component: Json = {};
    this.attribute(component, el, 'type');
    this.attribute(component, el, 'mime-type');
    this.attribute(component, el, 'bom-ref');
    this.attribute(component, el, 'isExternal', booleanValue);
    for (const name of ['author', 'publisher', 'group', 'name', 'version', 'versionRange', 'description', 'scope', 'copyright', 'cpe', 'purl']) {
      this.text(component, el, name, path);
    }
    this.list(component, el, 'hashes', path, (h) => this.hash(h));
    this.licenses(component, el, path);
    this.one(component, el, 'swid', path, (s, p) => this.swid(s, p));
    this.text(component, el, 'modified', path, booleanValue);
    this.one(component, el, 'pedigree', path, (p, pp) => this.pedigree(p, pp));
    this.list(component, el, 'externalReferences', path, (r, p) => this.externalReference(r, p));
    this.list(component, el, 'properties', path, (p) => this.property(p));
    this.list(component, el, 'components', path, (c, p) => this.component(c, p));
    this.list(component, el, 'tags', path, (t) => t.text);
    return component;
  }

  private service(el: XmlElement, path: string): Json {
    this.checkNames(el, 'service', path);
    const service: Json = {};
    this.attribute(service, el, 'bom-ref');
    for (const name of ['group', 'name', 'version', 'description', 'trustZone']) this.text(service, el, name, path);
    this.list(service, el, 'endpoints', path, (e) => e.text);
    this.text(service, el, 'authenticated', path, booleanValue);
    this.text(service, el, 'x-trust-boundary', path, booleanValue);
    // Only the classification form that exists in every version; the 1.5+
    // <dataflow> form has no required flow/classification pair to map onto.
    const data = this.cdx(el, 'data');
    if (data.length > 0) {
      const flows = data.flatMap((d) => this.cdx(d, 'classification'));
      if (flows.length > 0) {
        service.data = flows.map((c) => {
          const flow: Json = { classification: c.text };
          this.attribute(flow, c, 'flow');
          return flow;
        });
      }
    }
    this.licenses(service, el, path);
    this.list(service, el, 'externalReferences', path, (r, p) => this.externalReference(r, p));
    this.list(service, el, 'properties', path, (p) => this.property(p));
    this.list(service, el, 'services', path, (s, p) => this.service(s, p));
    this.list(service, el, 'tags', path, (t) => t.text);
    return service;
  }

  /**
   * `<licenses>` holds `<license>`, `<expression>` and (1.7) `<expression-detailed>`
   * children in document order. Before 1.5 the JSON schema checks each item on
   * its own, so the XSD rule "either licenses or one expression" is checked here.
   */
  private licenses(target: Json, el: XmlElement, path: string): void {
    const wrapper = this.single(el, 'licenses', path);
    if (!wrapper) return;
    const wrapperPath = `${path}/licenses`;
    const choices = this.children(wrapper);
    if (this.legacyLicenseChoice && choices.length > 1 && choices.some((choice) => choice.name === 'expression')) {
      throw intakeError(
        'schema',
        `${this.label} failed schema validation: ${wrapperPath} may hold either <license> elements or a single <expression>`,
        { path: wrapperPath },
      );
    }
    target.licenses = choices.map((choice, index) => {
      const choicePath = `${wrapperPath}/${choice.name}[${index + 1}]`;
      if (choice.name === 'expression') {
        const expression: Json = { expression: choice.text };
        this.attribute(expression, choice, 'acknowledgement');
        this.attribute(expression, choice, 'bom-ref');
        return expression;
      }
      if (choice.name === 'expression-detailed') return this.detailedExpression(choice, choicePath);
      if (choice.name !== 'license') throw this.unknownElement(choice, wrapperPath);
      return { license: this.license(choice, choicePath) };
    });
  }

  private detailedExpression(el: XmlElement, path: string): Json {
    const expression: Json = {};
    this.attribute(expression, el, 'expression');
    this.attribute(expression, el, 'acknowledgement');
    this.attribute(expression, el, 'bom-ref');
    const details = this.cdx(el, 'details');
    if (details.length > 0) {
      expression.expressionDetails = details.map((detail, index) => {
        const detailPath = `${path}/details[${index + 1}]`;
        const mapped: Json = {};
        this.attribute(mapped, detail, 'license-identifier', undefined, 'licenseIdentifier');
        this.attribute(mapped, detail, 'bom-ref');
        this.one(mapped, detail, 'text', detailPath, (t) => this.attachment(t));
        this.text(mapped, detail, 'url', detailPath);
        return mapped;
      });
    }
    return expression;
  }

  private license(el: XmlElement, path: string): Json {
    this.checkNames(el, 'license', path);
    const license: Json = {};
    this.attribute(license, el, 'bom-ref');
    this.attribute(license, el, 'acknowledgement');
    this.text(license, el, 'id', path);
    this.text(license, el, 'name', path);
    this.one(license, el, 'text', path, (t) => this.attachment(t));
    this.text(license, el, 'url', path);
    this.list(license, el, 'properties', path, (p) => this.property(p));
    return license;
  }

  private attachment(el: XmlElement): Json {
    const attachment: Json = { content: el.text };
    this.attribute(attachment, el, 'content-type', undefined, 'contentType');
    this.attribute(attachment, el, 'encoding');
    return attachment;
  }

  private hash(el: XmlElement): Json {
    const hash: Json = { content: el.text };
    this.attribute(hash, el, 'alg');
    return hash;
  }

  private swid(el: XmlElement, path: string): Json {
    const swid: Json = {};
    this.attribute(swid, el, 'tagId');
    this.attribute(swid, el, 'name');
    this.attribute(swid, el, 'version');
    this.attribute(swid, el, 'tagVersion', integerValue);
    this.attribute(swid, el, 'patch', booleanValue);
    this.one(swid, el, 'text', path, (t) => this.attachment(t));
    this.text(swid, el, 'url', path);
    return swid;
  }

  private pedigree(el: XmlElement, path: string): Json {
    const pedigree: Json = {};
    for (const name of ['ancestors', 'descendants', 'variants']) {
      this.list(pedigree, el, name, path, (c, p) => this.component(c, p));
    }
    this.list(pedigree, el, 'patches', path, (p, pp) => this.patch(p, pp));
    this.text(pedigree, el, 'notes', path);
    return pedigree;
  }

  private patch(el: XmlElement, path: string): Json {
    const patch: Json = {};
    this.attribute(patch, el, 'type');
    this.one(patch, el, 'diff', path, (d, p) => {
      const diff: Json = {};
      this.one(diff, d, 'text', p, (t) => this.attachment(t));
      this.text(diff, d, 'url', p);
      return diff;
    });
    this.list(patch, el, 'resolves', path, (i, p) => this.issue(i, p));
    return patch;
  }

  private issue(el: XmlElement, path: string): Json {
    const issue: Json = {};
    this.attribute(issue, el, 'type');
    for (const name of ['id', 'name', 'description']) this.text(issue, el, name, path);
    this.one(issue, el, 'source', path, (s, p) => {
      const source: Json = {};
      this.text(source, s, 'name', p);
      this.text(source, s, 'url', p);
      return source;
    });
    this.list(issue, el, 'references', path, (r) => r.text);
    return issue;
  }

  private externalReference(el: XmlElement, path: string): Json {
    const reference: Json = {};
    this.attribute(reference, el, 'type');
    this.text(reference, el, 'url', path);
    this.text(reference, el, 'comment', path);
    this.list(reference, el, 'hashes', path, (h) => this.hash(h));
    return reference;
  }

  private property(el: XmlElement): Json {
    const property: Json = {};
    this.attribute(property, el, 'name');
    if (el.text !== '' || el.attributes.has('name')) property.value = el.text;
    return property;
  }

  /** `<dependency ref>` nests its targets as `<dependency ref/>` (and 1.6+ `<provides ref/>`). */
  private dependency(el: XmlElement): Json {
    const dependency: Json = {};
    this.attribute(dependency, el, 'ref');
    const refs = (name: string) => this.cdx(el, name).map((d) => d.attributes.get('ref') ?? null);
    const dependsOn = refs('dependency');
    const provides = refs('provides');
    if (dependsOn.length > 0) dependency.dependsOn = dependsOn;
    if (provides.length > 0) dependency.provides = provides;
    return dependency;
  }

  private citation(el: XmlElement, path: string): Json {
    const citation: Json = {};
    this.attribute(citation, el, 'bom-ref');
    this.list(citation, el, 'pointers', path, (p) => p.text);
    this.list(citation, el, 'expressions', path, (e) => e.text);
    for (const name of ['timestamp', 'attributedTo', 'process', 'note']) this.text(citation, el, name, path);
    return citation;
  }

  // --- helpers -------------------------------------------------------------

  /** Children in the CycloneDX namespace; anything else is an allowed extension. */
  private children(el: XmlElement): XmlElement[] {
    return el.children.filter((child) => child.namespace === this.namespace);
  }

  private cdx(el: XmlElement, name: string): XmlElement[] {
    return el.children.filter((child) => child.name === name && child.namespace === this.namespace);
  }

  /** The one child of that name, refusing a second one. */
  private single(el: XmlElement, name: string, path: string): XmlElement | undefined {
    const found = this.cdx(el, name);
    if (found.length > 1) {
      throw intakeError(
        'schema',
        `${this.label} failed schema validation: ${path} has ${found.length} <${name}> elements; at most one is allowed`,
        { path, element: name },
      );
    }
    return found[0];
  }

  private text(target: Json, el: XmlElement, name: string, path: string, convert?: (value: string) => unknown): void {
    const child = this.single(el, name, path);
    if (!child) return;
    const value = freeText.has(name) ? child.text : normalizedString(child.text);
    target[name] = convert ? convert(value) : value;
  }

  private attribute(
    target: Json,
    el: XmlElement,
    name: string,
    convert?: (value: string) => unknown,
    as: string = name,
  ): void {
    const value = el.attributes.get(name);
    if (value !== undefined) target[as] = convert ? convert(value) : value;
  }

  private one(target: Json, el: XmlElement, name: string, path: string, map: (child: XmlElement, path: string) => unknown): void {
    const child = this.single(el, name, path);
    if (child) target[name] = map(child, `${path}/${name}`);
  }

  /** A wrapper element whose children are the array items: `<components><component/>…</components>`. */
  private list(target: Json, el: XmlElement, name: string, path: string, map: (item: XmlElement, path: string) => unknown): void {
    const wrapper = this.single(el, name, path);
    if (!wrapper) return;
    target[name] = this.children(wrapper).map((item, index) => map(item, `${path}/${name}/${item.name}[${index + 1}]`));
  }

  private checkNames(el: XmlElement, kind: string, path: string): void {
    const allowed = this.allowed[kind];
    if (!allowed) return;
    for (const child of this.children(el)) {
      if (!allowed.has(child.name)) throw this.unknownElement(child, path);
    }
  }

  private unknownElement(child: XmlElement, path: string) {
    return intakeError(
      'schema',
      `${this.label} failed schema validation: ${path} has an unknown element <${child.name.slice(0, 60)}>`,
      { path, element: child.name.slice(0, 200) },
    );
  }
}
