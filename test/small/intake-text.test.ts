import { describe, expect, it } from 'vitest';
import {
  clipText,
  decodeEntities,
  extractAdvisoryIds,
  extractCves,
  htmlToText,
  normaliseTitle,
  titleSimilarity,
} from '../../src/modules/intake/fetchers/text.ts';
import { parseFeedDate } from '../../src/modules/intake/fetchers/rss.ts';
import { parseEpss } from '../../src/modules/intake/fetchers/epss.ts';
import { kevItems, parseKev } from '../../src/modules/intake/fetchers/kev.ts';
import { csafProducts } from '../../src/modules/intake/fetchers/csaf-provider.ts';

describe('extractCves', () => {
  it('finds CVE ids in any case and with other dashes, upper-cased, unique and sorted', () => {
    const text = 'Fixes cve-2024-3094, CVE-2021-44228 and CVE‑2021‑44228 (again), CVE–2023–12345 and CVE-2024-3094.';
    expect(extractCves(text)).toEqual(['CVE-2021-44228', 'CVE-2023-12345', 'CVE-2024-3094']);
  });

  it('ignores things that only look like CVE ids', () => {
    expect(extractCves('CVE-24-1234, CVE-2024-123, XCVE-2024-12345, CVE-2024-12345678')).toEqual([]);
    expect(extractCves('')).toEqual([]);
  });
});

describe('extractAdvisoryIds', () => {
  it('finds the well-known advisory ids, each once and sorted', () => {
    const text = [
      'See ICSA-24-051-01, icsma-23-194-01a and ICS-ALERT-14-281-01B.',
      'NCSC-2024-0123 (NCSC-NL), WID-SEC-2024-1234, BSI-2022-0001, CERTFR-2024-AVI-0123, EUVD-2025-12345.',
      'GHSA-2C8M-XQ9V-RW4H, RHSA-2021:5217, SUSE-SU-2024:1234-1, DSA-5555-1, USN-6543-1, VMSA-2024-0006.',
      'cisco-sa-20180328-smi2, SSA-123456, FG-IR-24-001, PAN-SA-2024-0001, APSB24-01, ADV200006.',
      'VU#123456, JVNVU#12345678, JVNDB-2024-000001, ZDI-24-123, AA23-347A. Repeated: NCSC-2024-0123.',
    ].join(' ');
    expect(extractAdvisoryIds(text)).toEqual(
      [
        'AA23-347A',
        'ADV200006',
        'APSB24-01',
        'BSI-2022-0001',
        'CERTFR-2024-AVI-0123',
        'DSA-5555-1',
        'EUVD-2025-12345',
        'FG-IR-24-001',
        'GHSA-2c8m-xq9v-rw4h',
        'ICS-ALERT-14-281-01B',
        'ICSA-24-051-01',
        'ICSMA-23-194-01A',
        'JVNDB-2024-000001',
        'JVNVU#12345678',
        'NCSC-2024-0123',
        'PAN-SA-2024-0001',
        'RHSA-2021:5217',
        'SSA-123456',
        'SUSE-SU-2024:1234-1',
        'USN-6543-1',
        'VMSA-2024-0006',
        'VU#123456',
        'WID-SEC-2024-1234',
        'ZDI-24-123',
        'cisco-sa-20180328-smi2',
      ].sort(),
    );
  });

  it('does not report CVE ids or partial ids', () => {
    expect(extractAdvisoryIds('CVE-2024-1234 ICSA-24-05-01 NCSC-24-0001 XNCSC-2024-0001')).toEqual([]);
  });
});

describe('htmlToText', () => {
  it('removes markup, scripts, styles and comments, and decodes entities', () => {
    const html =
      '<div class="a>b"><p>Hello&nbsp;<b>world</b> &amp; caf&eacute; &#8220;x&#x201D;</p><!-- <p>hidden</p> --><script>alert("x")</script><style>p{}</style>' +
      '<ul><li>one</li><li>two</li></ul><p>a &lt; b</p></div>';
    const text = htmlToText(html);
    expect(text).toBe('Hello world & café “x”\n\n• one\n• two\n\na < b');
    expect(text).not.toMatch(/<[a-z/!]/i);
  });

  it('strips HTML that was escaped twice', () => {
    expect(htmlToText('&lt;p&gt;Escaped &lt;b&gt;twice&lt;/b&gt;&lt;/p&gt;')).toBe('Escaped twice');
  });

  it('keeps a lone "<" and text of CDATA, and survives unfinished markup', () => {
    expect(htmlToText('versions < 2.0 <![CDATA[raw]]> and <b')).toBe('versions < 2.0 raw and');
  });

  it('is linear on hostile input', () => {
    const start = Date.now();
    htmlToText(`${'<a title="'.repeat(20_000)}${'&amp;'.repeat(20_000)}`);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe('decodeEntities and clipText', () => {
  it('decodes named and numeric references, leaving unknown ones', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos; &#65;&#x42; &unknown; &#0; &#xD800;')).toBe(`<>&"' AB &unknown; \uFFFD \uFFFD`);
  });

  it('clips with an ellipsis', () => {
    expect(clipText('abcdef', 4)).toBe('abc…');
    expect(clipText('abc', 4)).toBe('abc');
    expect(clipText('x'.repeat(5000))).toHaveLength(4000);
  });
});

describe('normaliseTitle and titleSimilarity', () => {
  it('lower-cases, removes accents and punctuation but keeps ids and versions whole', () => {
    expect(normaliseTitle('  Kritieke kwetsbaarheid in Café-Server 2.4.1 (CVE-2024-1234): update NU!  ')).toBe(
      'kritieke kwetsbaarheid in cafe-server 2.4.1 cve-2024-1234 update nu',
    );
    expect(normaliseTitle('RHSA-2021:5217 — "Red Hat" SSO…')).toBe('rhsa-2021:5217 red hat sso');
  });

  it('gives the Jaccard similarity of the words', () => {
    expect(titleSimilarity('Critical flaw in Example PACS', 'critical flaw in example PACS!')).toBe(1);
    expect(titleSimilarity('a b c d', 'a b c e')).toBeCloseTo(3 / 5);
    expect(titleSimilarity('', 'x')).toBe(0);
  });
});

describe('parseFeedDate', () => {
  it('reads RFC 822 dates with zones', () => {
    expect(parseFeedDate('Tue, 13 Jan 2026 09:30:00 +0100')?.toISOString()).toBe('2026-01-13T08:30:00.000Z');
    expect(parseFeedDate('Mon, 19 Jan 2026 14:00:00 GMT')?.toISOString()).toBe('2026-01-19T14:00:00.000Z');
    expect(parseFeedDate('19 Jan 26 14:00 EST')?.toISOString()).toBe('2026-01-19T19:00:00.000Z');
    expect(parseFeedDate('Wed, 02 Oct 2002 08:00:00 -0230')?.toISOString()).toBe('2002-10-02T10:30:00.000Z');
  });

  it('reads ISO 8601 dates', () => {
    expect(parseFeedDate('2026-02-03T09:00:00+01:00')?.toISOString()).toBe('2026-02-03T08:00:00.000Z');
    expect(parseFeedDate('2026-02-03T09:00:00.123456Z')?.toISOString()).toBe('2026-02-03T09:00:00.123Z');
    expect(parseFeedDate('2026-01-08')?.toISOString()).toBe('2026-01-08T00:00:00.000Z');
  });

  it('returns null for what it cannot read', () => {
    expect(parseFeedDate('yesterday')).toBeNull();
    expect(parseFeedDate('2026-13-01')).toBeNull();
    expect(parseFeedDate('')).toBeNull();
    expect(parseFeedDate(null)).toBeNull();
  });
});

describe('parseEpss', () => {
  const file = '#model_version:v2025.03.14,score_date:2026-02-10T00:00:00+0000\ncve,epss,percentile\nCVE-2026-0001,0.5,0.9\ncve-2026-0002,1.2e-4,0.01\n\n';

  it('reads the model line, the header and the scores', () => {
    expect(parseEpss(Buffer.from(file), 'test.csv')).toEqual({
      modelVersion: 'v2025.03.14',
      scoreDate: '2026-02-10',
      scores: [
        { cve: 'CVE-2026-0001', epss: 0.5, percentile: 0.9 },
        { cve: 'CVE-2026-0002', epss: 0.00012, percentile: 0.01 },
      ],
    });
  });

  it('refuses a malformed line, naming it', () => {
    expect(() => parseEpss(Buffer.from(`${file}CVE-2026-0003,1.5,0.2\n`), 'test.csv')).toThrow(/test\.csv has a malformed line 6 \(a value lies outside 0…1\)/);
    expect(() => parseEpss(Buffer.from(file.replace('0.5,0.9', '0.5')), 'test.csv')).toThrow(/line 3 \(the percentile is not a number\)/);
    expect(() => parseEpss(Buffer.from(file.replace('#model_version', '#model')), 'test.csv')).toThrow(/does not start with "#model_version/);
    expect(() => parseEpss(Buffer.from(file.replace('cve,epss,percentile', 'cve,score')), 'test.csv')).toThrow(/no header "cve,epss,percentile" on line 2/);
  });
});

describe('parseKev and kevItems', () => {
  const entry = (cve: string, dateAdded: string) => ({
    cveID: cve,
    vendorProject: 'Example Corp',
    product: 'Widget',
    vulnerabilityName: `Example Corp Widget flaw ${cve}`,
    dateAdded,
    shortDescription: 'A flaw.',
    requiredAction: 'Update.',
    dueDate: '2026-03-01',
    knownRansomwareCampaignUse: 'Unknown',
    notes: '',
  });
  const catalogue = { catalogVersion: '2026.02.10', dateReleased: '2026-02-10T17:00:00Z', count: 2, vulnerabilities: [entry('CVE-2026-0002', '2026-02-10'), entry('CVE-2026-0001', '2026-02-01')] };

  it('takes entries on or after the date, oldest first', () => {
    const kev = parseKev(catalogue, 'kev.json');
    expect(kevItems(kev.entries, '2026-02-10').map((i) => i.externalId)).toEqual(['kev:CVE-2026-0002']);
    expect(kevItems(kev.entries, '2026-02-02T10:00:00Z').map((i) => i.externalId)).toEqual(['kev:CVE-2026-0002']);
    expect(kevItems(kev.entries, null).map((i) => i.externalId)).toEqual(['kev:CVE-2026-0001', 'kev:CVE-2026-0002']);
  });

  it('refuses an invalid entry, naming it', () => {
    const bad = { ...catalogue, vulnerabilities: [entry('CVE-2026-0002', '2026-02-10'), { ...entry('CVE-2026-0001', '10/02/2026') }] };
    expect(() => parseKev(bad, 'kev.json')).toThrow(/The KEV catalogue kev\.json is not valid \(entry 2, CVE-2026-0001\): vulnerabilities\[1\]\.dateAdded: not a date/);
    expect(() => parseKev({ vulnerabilities: [] }, 'kev.json')).toThrow(/catalogVersion/);
  });
});

describe('csafProducts', () => {
  it('walks vendor, product and version branches, keeping CPE and purl as written', () => {
    const tree = {
      branches: [
        {
          category: 'vendor',
          name: 'Example Corp',
          branches: [
            {
              category: 'product_name',
              name: 'Widget',
              branches: [
                { category: 'product_version_range', name: 'vers:generic/>=1.0|<2.0', product: { name: 'Widget <2.0', product_id: 'P1', product_identification_helper: { cpe: 'cpe:/a:example:widget' } } },
                {
                  category: 'product_version',
                  name: '2.0',
                  branches: [{ category: 'architecture', name: 'x86_64', product: { name: 'Widget 2.0 x86_64', product_id: 'P2', product_identification_helper: { purl: 'pkg:generic/widget@2.0' } } }],
                },
              ],
            },
          ],
        },
      ],
      full_product_names: [{ name: 'Loose Product', product_id: 'P3' }],
    };
    expect(csafProducts(tree, 'Publisher Vendor')).toEqual({
      vendors: ['Example Corp', 'Publisher Vendor'],
      products: [
        { vendor: 'Example Corp', product: 'Widget', versions: 'vers:generic/>=1.0|<2.0', cpe: 'cpe:/a:example:widget', purl: null },
        { vendor: 'Example Corp', product: 'Widget', versions: '2.0 x86_64', cpe: null, purl: 'pkg:generic/widget@2.0' },
        { vendor: 'Publisher Vendor', product: 'Loose Product', versions: null, cpe: null, purl: null },
      ],
    });
    expect(csafProducts(undefined, 'Unknown vendor')).toEqual({ vendors: [], products: [] });
  });
});
