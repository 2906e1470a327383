import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { domainToASCII } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { testdataDir, testdataPath } from './testdata.ts';

/**
 * STIX 2.1 validation for tests: the OASIS JSON schemas (oasis-open/cti-stix2-json-schemas, in the
 * shared test data) plus the rules their README says a schema cannot express, as far as our output
 * needs them (../shared/STANDARDS.md §2.2).
 */
export interface StixValidator {
  /** Error strings for one STIX object; empty when it is valid. */
  validateObject(obj: unknown): string[];
  /** Error strings for a bundle and every object in it; empty when all is valid. */
  validateBundle(bundle: unknown): string[];
}

/** The prefix of every schema `$id`; the `$ref`s between the files are relative to it. */
const SCHEMA_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';
/** The folders whose file names are object types; common/ also holds building blocks (core, timestamp, …). */
const TYPE_FOLDERS = ['sdos', 'sros', 'observables'];
const COMMON_OBJECT_TYPES = ['marking-definition', 'language-content', 'extension-definition', 'bundle'];

/** `<type>--<UUID>`; STIX 2.1 §2.9 wants UUIDv4 for SDOs/SROs and UUIDv5 (or v4) for SCOs. */
const ID = /^([a-z][a-z0-9-]+[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listJson(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : [],
  );
}

/** One line per error, with the JSON pointer and the detail Ajv keeps in params. */
function formatErrors(errors: ErrorObject[] | null | undefined, prefix: string): string[] {
  const lines = (errors ?? []).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
        : e.keyword === 'enum'
          ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
          : '';
    return `${prefix}${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra} [${e.schemaPath}]`;
  });
  return [...new Set(lines)];
}

/** RFC 3339 with Z, fraction padded to nanoseconds, so timestamps compare as strings. */
function sortableTimestamp(ts: unknown): string | null {
  if (typeof ts !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(ts);
  return m ? `${m[1]!}.${(m[2] ?? '').padEnd(9, '0')}` : null;
}

function checkId(value: unknown, expectedType: string | null, what: string): string[] {
  if (typeof value !== 'string') return [];
  const m = ID.exec(value);
  if (!m) return [`${what}: "${value}" is not <type>--<UUID> (lower-case hex)`];
  const [, type, version, variant] = m;
  const errors: string[] = [];
  if (expectedType !== null && type !== expectedType) errors.push(`${what}: prefix "${type!}" differs from the type "${expectedType}"`);
  if (version !== '4' && version !== '5') errors.push(`${what}: "${value}" is a UUID version ${version!}, not 4 or 5`);
  if (!'89ab'.includes(variant!)) errors.push(`${what}: "${value}" is not an RFC 4122 UUID (variant)`);
  return errors;
}

function refsOfType(value: unknown, type: string, what: string): string[] {
  if (value === undefined) return [];
  const refs = Array.isArray(value) ? value : [value];
  return refs.flatMap((ref, i) =>
    typeof ref === 'string' && ref.startsWith(`${type}--`)
      ? []
      : [`${what}${Array.isArray(value) ? `/${i}` : ''}: "${String(ref)}" does not point at a ${type}`],
  );
}

/**
 * TLP 2.0 is a property extension (oasis-open/cti-stix-common-objects
 * `extension-definition-specifications/tlp-2.0/`). marking-definition.json only checks that the
 * extension has an extension_type, so level, id and name are checked here against the published
 * objects and that repository's own schema (which also requires name and spec_version 2.1).
 */
const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP2_CREATED = '2022-10-01T00:00:00.000Z';
const TLP2_IDS: Record<string, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

function tlp2Errors(obj: Json): string[] {
  const ext = isObject(obj.extensions) ? obj.extensions[TLP2_EXTENSION] : undefined;
  if (obj.type !== 'marking-definition' || ext === undefined) return [];
  const where = `/extensions/${TLP2_EXTENSION}`;
  if (!isObject(ext)) return [`${where}: must be an object`];
  const level = typeof ext.tlp_2_0 === 'string' ? ext.tlp_2_0 : '';
  const id = TLP2_IDS[level];
  if (!id) return [`${where}/tlp_2_0: "${String(ext.tlp_2_0)}" is not one of ${Object.keys(TLP2_IDS).join(', ')}`];
  const errors: string[] = [];
  if (ext.extension_type !== 'property-extension') errors.push(`${where}/extension_type: must be "property-extension"`);
  const extra = Object.keys(ext).filter((k) => k !== 'extension_type' && k !== 'tlp_2_0');
  if (extra.length) errors.push(`${where}: unexpected properties ${extra.join(', ')}`);
  if (obj.id !== id) errors.push(`/id: TLP:${level.toUpperCase()} is published as ${id}`);
  if (obj.name !== `TLP:${level.toUpperCase()}`) errors.push(`/name: must be "TLP:${level.toUpperCase()}"`);
  if (obj.spec_version !== '2.1') errors.push('/spec_version: must be "2.1"');
  // The ids are fixed, so another created would be a second, conflicting version of the same object.
  if (obj.created !== TLP2_CREATED) errors.push(`/created: the published TLP 2.0 markings were created ${TLP2_CREATED}`);
  return errors;
}

/** The checks the README of the schemas says they cannot make. */
function semanticErrors(obj: Json): string[] {
  const type = typeof obj.type === 'string' ? obj.type : null;
  const errors = checkId(obj.id, type, '/id');
  const created = sortableTimestamp(obj.created);
  const modified = sortableTimestamp(obj.modified);
  if (created && modified && modified < created) errors.push(`/modified: ${String(obj.modified)} is before created ${String(obj.created)}`);
  errors.push(...refsOfType(obj.object_marking_refs, 'marking-definition', '/object_marking_refs'));
  errors.push(...refsOfType(obj.created_by_ref, 'identity', '/created_by_ref'));
  if (Array.isArray(obj.granular_markings)) {
    obj.granular_markings.forEach((g, i) => {
      if (isObject(g)) errors.push(...refsOfType(g.marking_ref, 'marking-definition', `/granular_markings/${i}/marking_ref`));
    });
  }
  // An object marked by itself would need itself to be read first (the README's "circular refs").
  if (typeof obj.id === 'string' && Array.isArray(obj.object_marking_refs) && obj.object_marking_refs.includes(obj.id)) {
    errors.push('/object_marking_refs: the object marks itself');
  }
  errors.push(...tlp2Errors(obj));
  return errors;
}

/**
 * Loads every schema under the shared `stix-2.1/schemas/` into Ajv. Returns null when the shared
 * test data is absent, so tests can skip.
 */
export function createStixValidator(): StixValidator | null {
  if (testdataDir() === null) return null;
  const root = testdataPath('stix-2.1', 'schemas');
  // unicodeRegExp:false: the schemas' patterns are ECMA-262 without the u flag (e.g. `\-`).
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  // ajv-formats has no idn-hostname (domain-name.value); accept what converts to an ASCII host name.
  ajv.addFormat('idn-hostname', (s: string) => s.length <= 253 && domainToASCII(s) !== '');
  for (const file of listJson(root)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Json;
    const expected = SCHEMA_BASE + path.relative(root, file).split(path.sep).join('/');
    if (schema.$id !== expected) throw new Error(`${file}: $id ${String(schema.$id)} is not ${expected}`);
    ajv.addSchema(schema);
  }

  const byType = new Map<string, string>();
  for (const folder of TYPE_FOLDERS) {
    for (const file of readdirSync(path.join(root, folder))) if (file.endsWith('.json')) byType.set(file.slice(0, -5), `${SCHEMA_BASE}${folder}/${file}`);
  }
  for (const type of COMMON_OBJECT_TYPES) byType.set(type, `${SCHEMA_BASE}common/${type}.json`);

  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (id: string): ValidateFunction => {
    let fn = compiled.get(id);
    if (!fn) {
      fn = ajv.getSchema(id);
      if (!fn) throw new Error(`STIX schema ${id} is not loaded`);
      compiled.set(id, fn);
    }
    return fn;
  };

  function validateObject(obj: unknown, prefix = ''): string[] {
    if (!isObject(obj)) return [`${prefix}/: a STIX object is a JSON object`];
    if (typeof obj.type !== 'string') return [`${prefix}/type: missing or not a string`];
    if (obj.type === 'bundle') return validateBundle(obj);
    // A type without a schema is a custom object: only the common properties can be checked.
    const schemaId = byType.get(obj.type) ?? `${SCHEMA_BASE}common/${'created' in obj ? 'core' : 'cyber-observable-core'}.json`;
    const validate = validatorFor(schemaId);
    let schemaErrors = validate(obj) ? [] : (validate.errors ?? []);
    // marking-definition.json is a oneOf of "any marking" and the four TLP 1.0 objects; a failed
    // marking also fails each TLP 1.0 enum, which only buries the real error unless it claims to be TLP 1.0.
    if (obj.type === 'marking-definition' && obj.definition_type !== 'tlp') {
      schemaErrors = schemaErrors.filter((e) => !e.schemaPath.startsWith('#/oneOf/1') && !e.schemaPath.startsWith('#/definitions/tlp_'));
    }
    const errors = formatErrors(schemaErrors, prefix);
    return [...errors, ...semanticErrors(obj).map((e) => prefix + e)];
  }

  function validateBundle(bundle: unknown): string[] {
    if (!isObject(bundle)) return ['/: a bundle is a JSON object'];
    const errors = checkId(bundle.id, 'bundle', '/id');
    const objects = Array.isArray(bundle.objects) ? (bundle.objects as unknown[]) : [];
    // Each object is checked against its own schema rather than through bundle.json's list: that
    // list (3bf9e69d) lacks grouping, incident, location, note and opinion, and its branch for custom
    // objects is a oneOf of core and cyber-observable-core, which any object with created/modified
    // matches twice. So bundle.json refuses valid bundles holding any of those objects.
    objects.forEach((obj, i) => {
      const id = isObject(obj) && typeof obj.id === 'string' ? ` (${obj.id})` : '';
      errors.push(...validateObject(obj, `/objects/${i}${id}`));
    });
    const versions = new Set<string>();
    objects.forEach((obj, i) => {
      if (!isObject(obj) || typeof obj.id !== 'string') return;
      const key = `${obj.id} ${typeof obj.modified === 'string' ? obj.modified : ''}`;
      if (versions.has(key)) errors.push(`/objects/${i}: a second copy of ${obj.id} with the same modified time`);
      versions.add(key);
    });
    // bundle.json still checks the envelope (type, id, objects non-empty); its errors about single
    // objects are left out for the reason above.
    const validate = validatorFor(`${SCHEMA_BASE}common/bundle.json`);
    if (!validate(bundle))
      errors.push(
        ...formatErrors(
          validate.errors?.filter((e) => !e.instancePath.startsWith('/objects/')),
          '',
        ),
      );
    return errors;
  }

  return { validateObject: (obj) => validateObject(obj), validateBundle };
}
