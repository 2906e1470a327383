import { describe, expect, it } from 'vitest';
import { parseMispEvent } from '../../src/modules/zdn/import-misp.ts';

describe('a MISP event with composite attributes', () => {
  it('keeps both halves of domain|ip and filename|<hash>, and the address of ip-dst|port', () => {
    const parsed = parseMispEvent({
      Event: {
        info: 'Composite',
        Tag: [{ name: 'tlp:green' }],
        Attribute: [
          { type: 'domain|ip', category: 'Network activity', value: 'c2.example|192.0.2.44', to_ids: true },
          { type: 'filename|sha256', category: 'Payload delivery', value: 'factuur.exe|aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f', to_ids: true },
          { type: 'ip-dst|port', category: 'Network activity', value: '198.51.100.9|8443', to_ids: true },
        ],
      },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.indicators.map((i) => [i.type, i.value])).toEqual([
      ['domain', 'c2.example'],
      ['ipv4', '192.0.2.44'],
      ['sha256', 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'],
      ['filename', 'factuur.exe'],
      ['ipv4', '198.51.100.9'],
    ]);
    expect(parsed.value.ignored).toEqual([]);
  });
});
