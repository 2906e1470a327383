import type { Tlp } from '#lib/tlp.ts';
import type { AdvisoryContent, AdvisoryContentInput, Level, ProductKind, ProductStatus, RemediationCategory, Urgency } from '../api';

// The editor's working copy of a product. Inputs hold strings (never null) and list items carry a
// stable `key` for React; `toContent` turns it into the API's content model. Lists keep their
// order and length on the way, so a field path of the API ("content.products.2.cpe") points at the
// same row in the form.

export interface EditorText {
  title: string;
  summary: string;
  body: string;
  advice: string;
}

export interface EditorProduct {
  key: string;
  id: string;
  vendor: string;
  name: string;
  versions: string;
  cpe: string;
  purl: string;
  medicalDevice: boolean;
  model: string;
}

export interface EditorRemediation {
  key: string;
  category: RemediationCategory;
  details: string;
  fixedVersion: string;
  url: string;
  productIds: string[];
}

export interface EditorVulnerability {
  key: string;
  cve: string;
  title: string;
  description: string;
  cweId: string;
  cweName: string;
  cvssV3: string;
  cvssV4: string;
  /** Only kept from imported documents; not editable. */
  cvssV2: string | null;
  knownExploited: boolean;
  /** Status per product id; a product without an entry has no stated status. */
  productStatus: Record<string, ProductStatus>;
  remediations: EditorRemediation[];
}

export interface EditorReference {
  key: string;
  url: string;
  summary: string;
  category: 'external' | 'self';
}

export interface EditorSource {
  key: string;
  name: string;
  url: string;
  reference: string;
}

export interface EditorState {
  kind: ProductKind;
  tlp: Tlp;
  recipients: string[];
  nl: EditorText;
  en: EditorText | null;
  urgency: Urgency;
  probability: Level;
  impact: Level;
  tags: string[];
  references: EditorReference[];
  sources: EditorSource[];
  products: EditorProduct[];
  vulnerabilities: EditorVulnerability[];
  /** Credits (e.g. the finder of a CVD case, as they asked): kept as they came, so a save never drops them. */
  acknowledgments: AdvisoryContent['acknowledgments'];
}

let counter = 0;
/** A React key for a new list row (never sent to the server). */
export function newKey(): string {
  counter += 1;
  return `row-${counter}`;
}

export const emptyText = (): EditorText => ({ title: '', summary: '', body: '', advice: '' });

export function emptyState(): EditorState {
  return {
    kind: 'advisory',
    tlp: 'AMBER',
    recipients: [],
    nl: emptyText(),
    en: null,
    urgency: 'normal',
    probability: 'medium',
    impact: 'medium',
    tags: [],
    references: [],
    sources: [],
    products: [],
    vulnerabilities: [],
    acknowledgments: [],
  };
}

/** The id after the highest one of the form "P1", "P2", … in use (a removed id is not handed out again). */
export function nextProductId(products: readonly EditorProduct[]): string {
  const numbers = products
    .map((product) => /^P(\d+)$/.exec(product.id)?.[1])
    .map(Number)
    .filter(Number.isInteger);
  return `P${Math.max(0, ...numbers) + 1}`;
}

export function newProduct(products: readonly EditorProduct[]): EditorProduct {
  return {
    key: newKey(),
    id: nextProductId(products),
    vendor: '',
    name: '',
    versions: '',
    cpe: '',
    purl: '',
    medicalDevice: false,
    model: '',
  };
}

export function newVulnerability(): EditorVulnerability {
  return {
    key: newKey(),
    cve: '',
    title: '',
    description: '',
    cweId: '',
    cweName: '',
    cvssV3: '',
    cvssV4: '',
    cvssV2: null,
    knownExploited: false,
    productStatus: {},
    remediations: [],
  };
}

export function newRemediation(products: readonly EditorProduct[]): EditorRemediation {
  return {
    key: newKey(),
    category: 'vendor_fix',
    details: '',
    fixedVersion: '',
    url: '',
    productIds: products.map((product) => product.id),
  };
}

export const newReference = (): EditorReference => ({ key: newKey(), url: '', summary: '', category: 'external' });
export const newSource = (): EditorSource => ({ key: newKey(), name: '', url: '', reference: '' });

const str = (value: string | null | undefined): string => value ?? '';

function textFrom(text: AdvisoryContent['nl']): EditorText {
  return { title: text.title, summary: text.summary, body: text.body, advice: text.advice };
}

export function fromContent(kind: ProductKind, tlp: Tlp, recipients: string[], content: AdvisoryContent): EditorState {
  return {
    kind,
    tlp,
    recipients,
    nl: textFrom(content.nl),
    en: content.en ? textFrom(content.en) : null,
    urgency: content.urgency,
    probability: content.probability,
    impact: content.impact,
    tags: content.tags,
    references: content.references.map((reference) => ({ key: newKey(), ...reference })),
    sources: content.sources.map((source) => ({
      key: newKey(),
      name: source.name,
      url: str(source.url),
      reference: str(source.reference),
    })),
    products: content.products.map((product) => ({
      key: newKey(),
      id: product.id,
      vendor: product.vendor,
      name: product.name,
      versions: product.versions,
      cpe: str(product.cpe),
      purl: str(product.purl),
      medicalDevice: product.medicalDevice,
      model: str(product.model),
    })),
    vulnerabilities: content.vulnerabilities.map((vulnerability) => ({
      key: newKey(),
      cve: str(vulnerability.cve),
      title: vulnerability.title,
      description: vulnerability.description,
      cweId: str(vulnerability.cwe?.id),
      cweName: str(vulnerability.cwe?.name),
      cvssV3: str(vulnerability.cvssV3),
      cvssV4: str(vulnerability.cvssV4),
      cvssV2: vulnerability.cvssV2 ?? null,
      knownExploited: vulnerability.knownExploited,
      productStatus: Object.fromEntries(vulnerability.productStatus.map((entry) => [entry.productId, entry.status])),
      remediations: vulnerability.remediations.map((remediation) => ({
        key: newKey(),
        category: remediation.category,
        details: remediation.details,
        fixedVersion: str(remediation.fixedVersion),
        url: str(remediation.url),
        productIds: remediation.productIds,
      })),
    })),
    acknowledgments: content.acknowledgments,
  };
}

/** Empty optional inputs mean "not given", which the API spells null. */
const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

export function toContent(state: EditorState): AdvisoryContentInput {
  const productIds = new Set(state.products.map((product) => product.id));
  return {
    nl: state.nl,
    en: state.en,
    urgency: state.urgency,
    probability: state.probability,
    impact: state.impact,
    tags: state.tags,
    references: state.references.map(({ url, summary, category }) => ({ url: url.trim(), summary, category })),
    sources: state.sources.map((source) => ({ name: source.name, url: orNull(source.url), reference: orNull(source.reference) })),
    acknowledgments: state.acknowledgments,
    products: state.products.map((product) => ({
      id: product.id,
      vendor: product.vendor,
      name: product.name,
      versions: product.versions,
      cpe: orNull(product.cpe),
      purl: orNull(product.purl),
      medicalDevice: product.medicalDevice,
      model: product.medicalDevice ? orNull(product.model) : null,
    })),
    vulnerabilities: state.vulnerabilities.map((vulnerability) => ({
      cve: orNull(vulnerability.cve),
      title: vulnerability.title,
      description: vulnerability.description,
      cwe: vulnerability.cweId.trim() === '' && vulnerability.cweName.trim() === '' ? null : { id: vulnerability.cweId.trim(), name: vulnerability.cweName },
      cvssV3: orNull(vulnerability.cvssV3),
      cvssV4: orNull(vulnerability.cvssV4),
      cvssV2: vulnerability.cvssV2,
      knownExploited: vulnerability.knownExploited,
      // In the order of the products; statuses of removed products are dropped.
      productStatus: state.products.flatMap((product) => {
        const status = vulnerability.productStatus[product.id];
        return status ? [{ productId: product.id, status }] : [];
      }),
      remediations: vulnerability.remediations.map((remediation) => ({
        category: remediation.category,
        details: remediation.details,
        fixedVersion: orNull(remediation.fixedVersion),
        url: orNull(remediation.url),
        productIds: remediation.productIds.filter((id) => productIds.has(id)),
      })),
    })),
  };
}

/** Renames a product id everywhere the vulnerabilities refer to it. */
export function renameProductId(state: EditorState, from: string, to: string): EditorState['vulnerabilities'] {
  if (from === to) return state.vulnerabilities;
  return state.vulnerabilities.map((vulnerability) => {
    const productStatus = { ...vulnerability.productStatus };
    const status = productStatus[from];
    if (status !== undefined) {
      delete productStatus[from];
      productStatus[to] = status;
    }
    return {
      ...vulnerability,
      productStatus,
      remediations: vulnerability.remediations.map((remediation) => ({
        ...remediation,
        productIds: remediation.productIds.map((id) => (id === from ? to : id)),
      })),
    };
  });
}

export function replaceAt<T>(list: readonly T[], index: number, value: T): T[] {
  return list.map((item, i) => (i === index ? value : item));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_item, i) => i !== index);
}

/** Removes a product id from every vulnerability (when the product itself is removed). */
export function forgetProductId(state: EditorState, id: string): EditorState['vulnerabilities'] {
  return state.vulnerabilities.map((vulnerability) => {
    const productStatus = { ...vulnerability.productStatus };
    delete productStatus[id];
    return {
      ...vulnerability,
      productStatus,
      remediations: vulnerability.remediations.map((remediation) => ({
        ...remediation,
        productIds: remediation.productIds.filter((productId) => productId !== id),
      })),
    };
  });
}
