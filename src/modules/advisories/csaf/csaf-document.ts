/**
 * CSAF 2.0 document types (OASIS CSAF 2.0, csaf_json_schema.json), as far as Wachtpost writes and
 * reads them. The JSON schema is the authority; these types mirror it without the parts we never
 * touch in detail (involvements, hashes are kept as loose records).
 */

/** Credit for contributors (acknowledgments_t); every property present is non-empty. */
export interface CsafAcknowledgment {
  names?: string[];
  organization?: string;
  summary?: string;
  urls?: string[];
}

export type CsafNoteCategory = 'description' | 'details' | 'faq' | 'general' | 'legal_disclaimer' | 'other' | 'summary';

export interface CsafNote {
  category: CsafNoteCategory;
  text: string;
  title?: string;
  audience?: string;
}

export interface CsafReference {
  url: string;
  summary: string;
  category?: 'external' | 'self';
}

export type CsafTlpLabel = 'WHITE' | 'GREEN' | 'AMBER' | 'RED';

export type CsafPublisherCategory = 'coordinator' | 'discoverer' | 'other' | 'translator' | 'user' | 'vendor';

export interface CsafRevision {
  date: string;
  number: string;
  summary: string;
  legacy_version?: string;
}

export interface CsafTracking {
  id: string;
  version: string;
  status: 'draft' | 'final' | 'interim';
  initial_release_date: string;
  current_release_date: string;
  revision_history: CsafRevision[];
  aliases?: string[];
  generator?: { engine: { name: string; version?: string }; date?: string };
}

export interface CsafDocumentMeta {
  category: string;
  csaf_version: '2.0';
  title: string;
  publisher: {
    category: CsafPublisherCategory;
    name: string;
    namespace: string;
    contact_details?: string;
    issuing_authority?: string;
  };
  tracking: CsafTracking;
  lang?: string;
  source_lang?: string;
  distribution?: { text?: string; tlp?: { label: CsafTlpLabel; url?: string } };
  aggregate_severity?: { text: string; namespace?: string };
  notes?: CsafNote[];
  references?: CsafReference[];
  acknowledgments?: CsafAcknowledgment[];
}

export interface CsafProductIdentificationHelper {
  cpe?: string;
  purl?: string;
  model_numbers?: string[];
  serial_numbers?: string[];
  skus?: string[];
  sbom_urls?: string[];
  hashes?: Record<string, unknown>[];
  x_generic_uris?: { namespace: string; uri: string }[];
}

export interface CsafFullProductName {
  name: string;
  product_id: string;
  product_identification_helper?: CsafProductIdentificationHelper;
}

export type CsafBranchCategory =
  | 'architecture'
  | 'host_name'
  | 'language'
  | 'legacy'
  | 'patch_level'
  | 'product_family'
  | 'product_name'
  | 'product_version'
  | 'product_version_range'
  | 'service_pack'
  | 'specification'
  | 'vendor';

/** A branch has exactly one of `product` (a leaf) and `branches` (children). */
export interface CsafBranch {
  category: CsafBranchCategory;
  name: string;
  product?: CsafFullProductName;
  branches?: CsafBranch[];
}

export interface CsafRelationship {
  category: 'default_component_of' | 'external_component_of' | 'installed_on' | 'installed_with' | 'optional_component_of';
  full_product_name: CsafFullProductName;
  product_reference: string;
  relates_to_product_reference: string;
}

export interface CsafProductGroup {
  group_id: string;
  product_ids: string[];
  summary?: string;
}

export interface CsafProductTree {
  branches?: CsafBranch[];
  full_product_names?: CsafFullProductName[];
  product_groups?: CsafProductGroup[];
  relationships?: CsafRelationship[];
}

export type CvssSeverityText = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** The FIRST CVSS v3.x JSON object; Wachtpost writes the four required properties only. */
export interface CsafCvssV3 {
  version: '3.0' | '3.1';
  vectorString: string;
  baseScore: number;
  baseSeverity: CvssSeverityText;
  [property: string]: unknown;
}

/** The FIRST CVSS v2.0 JSON object. */
export interface CsafCvssV2 {
  version: '2.0';
  vectorString: string;
  baseScore: number;
  [property: string]: unknown;
}

export interface CsafScore {
  products: string[];
  cvss_v2?: CsafCvssV2;
  cvss_v3?: CsafCvssV3;
}

export const CSAF_PRODUCT_STATUS_KEYS = [
  'first_affected',
  'first_fixed',
  'fixed',
  'known_affected',
  'known_not_affected',
  'last_affected',
  'recommended',
  'under_investigation',
] as const;
export type CsafProductStatusKey = (typeof CSAF_PRODUCT_STATUS_KEYS)[number];
export type CsafProductStatus = Partial<Record<CsafProductStatusKey, string[]>>;

export type CsafRemediationCategory = 'mitigation' | 'no_fix_planned' | 'none_available' | 'vendor_fix' | 'workaround';

export interface CsafRemediation {
  category: CsafRemediationCategory;
  details: string;
  product_ids?: string[];
  group_ids?: string[];
  url?: string;
  date?: string;
  entitlements?: string[];
  restart_required?: { category: string; details?: string };
}

export interface CsafThreat {
  category: 'exploit_status' | 'impact' | 'target_set';
  details: string;
  date?: string;
  product_ids?: string[];
  group_ids?: string[];
}

export interface CsafFlag {
  label:
    | 'component_not_present'
    | 'inline_mitigations_already_exist'
    | 'vulnerable_code_cannot_be_controlled_by_adversary'
    | 'vulnerable_code_not_in_execute_path'
    | 'vulnerable_code_not_present';
  date?: string;
  product_ids?: string[];
  group_ids?: string[];
}

export interface CsafVulnerability {
  cve?: string;
  ids?: { system_name: string; text: string }[];
  title?: string;
  cwe?: { id: string; name: string };
  notes?: CsafNote[];
  product_status?: CsafProductStatus;
  scores?: CsafScore[];
  remediations?: CsafRemediation[];
  threats?: CsafThreat[];
  flags?: CsafFlag[];
  references?: CsafReference[];
  discovery_date?: string;
  release_date?: string;
  acknowledgments?: CsafAcknowledgment[];
  involvements?: Record<string, unknown>[];
}

export interface CsafDocument {
  document: CsafDocumentMeta;
  product_tree?: CsafProductTree;
  vulnerabilities?: CsafVulnerability[];
}
