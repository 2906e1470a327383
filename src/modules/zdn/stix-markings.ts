import type { Tlp } from '#lib/tlp.ts';

/**
 * TLP in STIX 2.1. STIX itself predefines only TLP 1.0; TLP 2.0 is the property extension
 * extension-definition--60a3c5c5-… with fixed marking-definition ids (cti-stix-common-objects).
 * We emit TLP 2.0 and read both.
 */
export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP2_CREATED = '2022-10-01T00:00:00.000Z';
const TLP2_CREATOR = 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01';

export const TLP2_MARKING: Record<Tlp, string> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

// The TLP 1.0 markings STIX 2.1 predefines (section 7.2.1.4 of the specification).
const TLP1_MARKING: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
};

export const TLP_BY_MARKING: Record<string, Tlp> = {
  ...TLP1_MARKING,
  ...Object.fromEntries(Object.entries(TLP2_MARKING).map(([tlp, id]) => [id, tlp as Tlp])),
};

/** The standard TLP 2.0 marking-definition object, for bundles that carry their markings along. */
export function tlp2MarkingDefinition(tlp: Tlp): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING[tlp],
    created_by_ref: TLP2_CREATOR,
    created: TLP2_CREATED,
    name: `TLP:${tlp}`,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() } },
  };
}
