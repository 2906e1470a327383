import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisedName, parseCpe, parsePurl } from '#lib/product-names.ts';
import { compareVersions, parseRange, versionInRange } from '#lib/version-range.ts';
import { AdvisoryContent, type AdvisoryContentInput, type AffectedProduct } from '#modules/advisories/advisory.content.ts';
import {
  concerningProductIds,
  matchProduct,
  productMatchKeys,
  relevantProducts,
  type AffectedLike,
  type DeclaredProduct,
} from '#modules/advisories/relevance.ts';

const affected = (over: Partial<AffectedProduct> = {}): AffectedLike => ({
  vendor: 'Example Corp',
  name: 'Gateway',
  versions: '',
  cpe: null,
  purl: null,
  ...over,
});
const declared = (over: Partial<DeclaredProduct> = {}): DeclaredProduct => ({
  vendor: 'Example',
  product: 'Gateway',
  version: null,
  cpe: null,
  purl: null,
  ...over,
});

describe('compareVersions', () => {
  const ordered = (...vs: string[]) => {
    for (let i = 0; i + 1 < vs.length; i++) {
      expect(compareVersions(vs[i]!, vs[i + 1]!), `${vs[i]} < ${vs[i + 1]}`).toBe(-1);
      expect(compareVersions(vs[i + 1]!, vs[i]!), `${vs[i + 1]} > ${vs[i]}`).toBe(1);
    }
  };
  it('compares dotted numbers numerically', () => {
    ordered('2.4.1', '2.4.2', '2.4.9', '2.4.10', '2.5', '10.0');
    expect(compareVersions('2.4', '2.4.0')).toBe(0);
    expect(compareVersions('02.04', '2.4')).toBe(0);
    expect(compareVersions('v3.2', '3.2')).toBe(0);
    expect(compareVersions('V3.2', 'version 3.2')).toBe(0);
    ordered('20240101', '20240102', '123456789012345678901');
  });
  it('puts pre-releases before and service packs after the release', () => {
    ordered('1.0.0-dev', '1.0.0-alpha', '1.0.0-alpha.2', '1.0.0-beta', '1.0.0-rc1', '1.0.0-rc2', '1.0.0-rc10', '1.0.0', '1.0.0-1', '1.0.1');
    ordered('1.0a1', '1.0b1', '1.0rc1', '1.0');
    ordered('10.2', '10.2 SP1', '10.2 SP2', '10.3');
    ordered('5.1', '5.1 update 3', '5.1 update 12');
    ordered('2023 R1', '2023 R2', '2024');
    expect(compareVersions('1.0.0-final', '1.0.0')).toBe(0);
    expect(compareVersions('1.2.3+build.7', '1.2.3')).toBe(0);
  });
  it('cannot order what is not a version', () => {
    expect(compareVersions('latest', '1.0')).toBeNull();
    expect(compareVersions('1.0', '')).toBeNull();
  });
  it('is a total order on generated versions (property)', () => {
    const version = fc
      .tuple(
        fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('', '-rc1', '-beta', '-alpha.2', ' SP1', ' SP2', '-1', '.Final', ' update 3'),
      )
      .map(([nums, suffix]) => nums.join('.') + suffix);
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        const ab = compareVersions(a, b)!;
        expect(compareVersions(b, a)).toBe(-ab || 0);
        if (ab <= 0 && compareVersions(b, c)! <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('version ranges', () => {
  const inRange = (range: string, yes: string[], no: string[]) => {
    for (const v of yes) expect(versionInRange(v, range), `${v} in ${range}`).toBe(true);
    for (const v of no) expect(versionInRange(v, range), `${v} not in ${range}`).toBe(false);
  };

  it('reads empty and "all" as every version', () => {
    for (const all of ['', '  ', '*', 'all', 'All versions', 'alle versies', 'vers:generic/*', '-']) expect(parseRange(all), all).toEqual({ kind: 'all' });
  });
  it('reads an exact version', () => {
    inRange('2.4.1', ['2.4.1', '2.4.1.0', 'v2.4.1'], ['2.4.0', '2.4.10', '2.4.1-rc1', '2.4.2']);
    inRange('10.2 SP1', ['10.2 sp1', '10.2 SP1'], ['10.2', '10.2 SP2']);
  });
  it('reads plain operator ranges with inclusive and exclusive bounds', () => {
    inRange('>=2.0 <2.4.1', ['2.0', '2.0.0', '2.3.99', '2.4.0', '2.4.1-rc1'], ['1.9.9', '2.0.0-rc1', '2.4.1', '2.4.10', '3.0']);
    inRange('>2.0 <=2.4.1', ['2.0.1', '2.4.1'], ['2.0', '2.4.2']);
    inRange('<= 3.1', ['0.1', '3.1', '3.1.0', '3.0.99'], ['3.1.1', '3.10']);
    inRange('< 3.1', ['3.0.99', '3.1-rc1'], ['3.1', '3.1.0']);
    inRange('> 2.4.1', ['2.4.2', '2.4.10'], ['2.4.1', '2.4.0']);
    inRange('>=2.0, <2.4.1', ['2.2'], ['2.4.1']);
    inRange('≥ 2.0 ≤ 2.4', ['2.4'], ['2.5']);
    inRange('=> 2.0 =< 2.4', ['2.0', '2.4'], ['1.0', '2.5']);
  });
  it('reads hyphen and "to" ranges as inclusive', () => {
    inRange('2.0 - 2.4', ['2.0', '2.2.7', '2.4', '2.4.0'], ['1.9', '2.4.1']);
    inRange('2.0-2.4', ['2.0', '2.4'], ['2.5']);
    inRange('2.0 to 2.4.3', ['2.4.3'], ['2.4.4']);
    inRange('8.0 t/m 8.2', ['8.1'], ['8.3']);
    inRange('8.0 tot en met 8.2', ['8.2'], ['8.3']);
    inRange('2.0 – 2.x', ['2.9.9'], ['3.0']);
  });
  it('reads lists and alternatives', () => {
    inRange('1.0, 1.1, 1.3', ['1.0', '1.1', '1.3'], ['1.2', '1.4']);
    inRange('1.0 1.1', ['1.1'], ['1.2']);
    inRange('<1.5, >=2.0 <2.5', ['1.4', '2.0', '2.4.9'], ['1.5', '1.9', '2.5']);
    inRange('>=1.0 <1.5 || >=2.0 <2.5', ['1.0', '2.1'], ['1.5', '3.0']);
    inRange('2.4.1 and 2.5', ['2.4.1', '2.5'], ['2.4.2']);
  });
  it('reads wildcards and words', () => {
    inRange('2.4.x', ['2.4', '2.4.0', '2.4.17'], ['2.3.9', '2.5', '2.5.0-rc1']);
    inRange('3.*', ['3.0', '3.99'], ['2.9', '4.0']);
    inRange('<= 2.4.x', ['2.4.99'], ['2.5']);
    inRange('> 2.x', ['3.0'], ['2.99']);
    inRange('All versions < V3.2 SP1', ['3.1', '3.2', 'V3.2'], ['3.2 SP1', '3.3']);
    inRange('before 2.4.1', ['2.4.0'], ['2.4.1']);
    inRange('prior to 5.0', ['4.9'], ['5.0']);
    inRange('2.4 and later', ['2.4', '3.0'], ['2.3']);
    inRange('2.4+', ['2.4', '2.10'], ['2.3.9']);
  });
  it('reads vers URIs, with | separators and != exclusions', () => {
    inRange('vers:generic/>=2.0|<2.4.1', ['2.0', '2.4.0'], ['1.9', '2.4.1']);
    inRange('vers:semver/>=1.0.0|<1.2.0|>=2.0.0|<2.1.3', ['1.0.0', '1.1.9', '2.1.2'], ['1.2.0', '1.5.0', '2.1.3']);
    inRange('vers:npm/1.2.3|>=2.0.0|<5.0.0', ['1.2.3', '4.9.9'], ['1.2.4', '5.0.0']);
    inRange('vers:generic/>=2.0|!=2.2|<3.0', ['2.1', '2.2.1'], ['2.2', '2.2.0', '3.0']);
    inRange('vers:generic/!=1.0', ['0.9', '1.1'], ['1.0']);
    inRange('vers:generic/<=3.1', ['3.1'], ['3.1.1']);
    inRange('vers:generic/>2.4.1', ['2.4.10'], ['2.4.1']);
    inRange('VERS:pypi/>= 1.0 | < 2.0', ['1.5'], ['2.0']);
  });
  it('says so when a range cannot be read', () => {
    for (const bad of [
      'latest',
      'see vendor advisory',
      '>=',
      '>= <2.0',
      'vers:generic/',
      'vers:generic/>=|<2',
      'vers:nope',
      '1.0 - ',
      '~>',
      '!',
      '2.x != 2.x',
      'versions 2.0 through 2.4',
    ])
      expect(parseRange(bad), bad).toBeNull();
  });
});

describe('parseCpe and parsePurl', () => {
  it('reads the parts that identify a product', () => {
    expect(parseCpe('cpe:2.3:a:Apache:HTTP_Server:2.4.1:*:*:*:*:*:*:*')).toEqual({ vendor: 'apache', product: 'http_server', version: '2.4.1' });
    expect(parseCpe('cpe:2.3:o:siemens:simatic\\:s7:*:*:*:*:*:*:*:*')).toEqual({ vendor: 'siemens', product: 'simatic:s7', version: null });
    expect(parseCpe('cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*')?.version).toBeNull();
    expect(parseCpe('cpe:/a:apache:http_server:2.4.1')).toEqual({ vendor: 'apache', product: 'http_server', version: '2.4.1' });
    expect(parseCpe('cpe:2.3:a:*:*:*:*:*:*:*:*:*:*')).toBeNull();
    expect(parseCpe('not a cpe')).toBeNull();
  });
  it('reads type, namespace, name and version of a package URL', () => {
    expect(parsePurl('pkg:npm/lodash@4.17.21')).toEqual({ type: 'npm', namespace: '', name: 'lodash', version: '4.17.21' });
    expect(parsePurl('pkg:npm/%40angular/core@16.0.0?x=1#sub')).toEqual({ type: 'npm', namespace: '@angular', name: 'core', version: '16.0.0' });
    expect(parsePurl('pkg:npm/@angular/core')).toEqual({ type: 'npm', namespace: '@angular', name: 'core', version: null });
    expect(parsePurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1')).toEqual({
      type: 'maven',
      namespace: 'org.apache.logging.log4j',
      name: 'log4j-core',
      version: '2.14.1',
    });
    expect(parsePurl('pkg:PyPI/Django_Rest.Framework')?.name).toBe('django-rest-framework');
    expect(parsePurl('pkg:npm')).toBeNull();
  });
});

describe('normalisedName', () => {
  it('ignores case, whitespace, punctuation, legal suffixes and a repeated vendor', () => {
    const same = (a: [string, string], b: [string, string]) => expect(normalisedName(...a), `${a.join('/')} ~ ${b.join('/')}`).toBe(normalisedName(...b));
    same(['Example Corp.', 'Gateway'], ['example', 'gateway']);
    same(['Siemens AG', 'SIMATIC S7-1500'], ['siemens', 'simatic s7 1500']);
    same(['Philips Medical Systems B.V.', 'IntelliSpace'], ['Philips Medical Systems', 'Intelli_Space']);
    same(['ACME GmbH & Co. KG', 'Pump'], ['Acme', 'pump']);
    same(['Foo, Inc.', 'Bar  Baz'], ['FOO', ' bar baz ']);
    same(['Microsoft Corporation', 'Microsoft Exchange Server'], ['Microsoft', 'Exchange Server']);
    same(['Mölnlycke', 'Café'], ['Molnlycke', 'cafe']);
    same(['Apache', 'http_server'], ['apache', 'HTTP Server']);
    expect(normalisedName('Example', 'Gateway')).not.toBe(normalisedName('Example', 'Gateway Pro'));
    expect(normalisedName('Example', 'Gateway')).not.toBe(normalisedName('Other', 'Gateway'));
    // A name is never stripped to nothing.
    expect(normalisedName('AG', 'AG')).toBe('ag|ag');
    expect(normalisedName('---', 'x')).toBeNull();
  });
});

describe('matchProduct', () => {
  it('matches by CPE vendor and product; * and - versions mean any', () => {
    const a = affected({ vendor: 'Apache Software Foundation', name: 'httpd', cpe: 'cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*' });
    expect(matchProduct(a, declared({ vendor: 'Apache', product: 'Webserver', cpe: 'cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*' }))).toEqual({
      relevant: true,
      reason: 'cpe',
      versionKnown: true,
    });
    expect(matchProduct(a, declared({ vendor: 'x', product: 'y', cpe: 'cpe:2.3:a:apache:http_server:-:*:*:*:*:*:*:*' }))).toEqual({
      relevant: true,
      reason: 'cpe',
      versionKnown: false,
    });
    expect(matchProduct(a, declared({ vendor: 'x', product: 'y', cpe: 'cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*' })).relevant).toBe(false);
  });
  it('compares a specific CPE version with the affected versions', () => {
    const a = affected({ cpe: 'cpe:2.3:a:example:gateway:*:*:*:*:*:*:*:*', versions: '>=2.0 <2.4.1' });
    const d = (v: string) => declared({ vendor: 'Other', product: 'Name', cpe: `cpe:2.3:a:example:gateway:${v}:*:*:*:*:*:*:*` });
    expect(matchProduct(a, d('2.4.0'))).toEqual({ relevant: true, reason: 'cpe', versionKnown: true });
    expect(matchProduct(a, d('2.4.1'))).toEqual({ relevant: false, reason: 'cpe', versionKnown: true });
    // The affected CPE's own version is the range when no versions text is given.
    const exact = affected({ cpe: 'cpe:2.3:a:example:gateway:2.4.1:*:*:*:*:*:*:*' });
    expect(matchProduct(exact, d('2.4.1')).relevant).toBe(true);
    expect(matchProduct(exact, d('2.4.10')).relevant).toBe(false);
    // A stated version wins over the CPE version.
    expect(matchProduct(exact, { ...d('2.4.10'), version: '2.4.1' }).relevant).toBe(true);
  });
  it('matches by PURL type, namespace and name, with and without versions', () => {
    const a = affected({ vendor: 'Apache', name: 'Log4j', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core', versions: 'vers:maven/>=2.0-beta9|<2.15.0' });
    const d = (purl: string) => declared({ vendor: 'someone', product: 'something', purl });
    expect(matchProduct(a, d('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'))).toEqual({ relevant: true, reason: 'purl', versionKnown: true });
    expect(matchProduct(a, d('pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1'))).toEqual({ relevant: false, reason: 'purl', versionKnown: true });
    expect(matchProduct(a, d('pkg:maven/org.apache.logging.log4j/log4j-core'))).toEqual({ relevant: true, reason: 'purl', versionKnown: false });
    expect(matchProduct(a, d('pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1')).relevant).toBe(false);
    expect(matchProduct(a, d('pkg:npm/log4j-core@2.14.1')).relevant).toBe(false);
    // An affected PURL with a version and no versions text: that version.
    const lodash = affected({ vendor: 'npm', name: 'lodash', purl: 'pkg:npm/lodash@4.17.20' });
    expect(matchProduct(lodash, d('pkg:npm/lodash@4.17.20')).relevant).toBe(true);
    expect(matchProduct(lodash, d('pkg:npm/lodash@4.17.21')).relevant).toBe(false);
  });
  it('matches by normalised vendor and product name', () => {
    const a = affected({ vendor: 'Philips Medical Systems B.V.', name: 'IntelliSpace Portal', versions: '<= 12.1' });
    expect(matchProduct(a, declared({ vendor: 'philips medical systems', product: 'intellispace-portal', version: '12.1' }))).toEqual({
      relevant: true,
      reason: 'name',
      versionKnown: true,
    });
    expect(matchProduct(a, declared({ vendor: 'Philips Medical Systems', product: 'IntelliSpace Portal', version: '12.2' }))).toEqual({
      relevant: false,
      reason: 'name',
      versionKnown: true,
    });
    expect(matchProduct(a, declared({ vendor: 'Philips', product: 'IntelliSpace Portal' }))).toEqual({ relevant: false, reason: null, versionKnown: false });
  });
  it('prefers CPE over PURL over name when several identify the product', () => {
    const a = affected({ cpe: 'cpe:2.3:a:example:gateway:*:*:*:*:*:*:*:*', purl: 'pkg:generic/example/gateway' });
    expect(matchProduct(a, declared({ cpe: 'cpe:2.3:a:example:gateway:*:*:*:*:*:*:*:*', purl: 'pkg:generic/example/gateway' })).reason).toBe('cpe');
    expect(matchProduct(a, declared({ purl: 'pkg:generic/example/gateway' })).reason).toBe('purl');
    expect(matchProduct(a, declared()).reason).toBe('name');
  });
  it('treats a product without a declared version as relevant, version unknown', () => {
    expect(matchProduct(affected({ versions: '>=2.0 <2.4.1' }), declared())).toEqual({ relevant: true, reason: 'name', versionKnown: false });
    expect(matchProduct(affected({ versions: '2.4.1' }), declared({ version: '  ' }))).toEqual({ relevant: true, reason: 'name', versionKnown: false });
    expect(matchProduct(affected({ versions: '2.4.1' }), declared({ version: 'latest' }))).toEqual({ relevant: true, reason: 'name', versionKnown: false });
  });
  it('treats an empty range as every version', () => {
    expect(matchProduct(affected(), declared({ version: '1.0' }))).toEqual({ relevant: true, reason: 'name', versionKnown: true });
    expect(matchProduct(affected(), declared())).toEqual({ relevant: true, reason: 'name', versionKnown: false });
  });
  it('falls back to relevant when the range cannot be read', () => {
    expect(matchProduct(affected({ versions: 'see the vendor advisory' }), declared({ version: '9.9' }))).toEqual({
      relevant: true,
      reason: 'name',
      versionKnown: false,
    });
  });
  it('distinguishes 2.4.1 from 2.4.10 and handles pre-releases', () => {
    const a = affected({ versions: '2.4.1' });
    expect(matchProduct(a, declared({ version: '2.4.1' })).relevant).toBe(true);
    expect(matchProduct(a, declared({ version: '2.4.10' })).relevant).toBe(false);
    const b = affected({ versions: '< 1.0.0' });
    expect(matchProduct(b, declared({ version: '1.0.0-rc1' })).relevant).toBe(true);
    expect(matchProduct(b, declared({ version: '1.0.0' })).relevant).toBe(false);
  });
});

describe('relevantProducts', () => {
  const content = (input: Partial<AdvisoryContentInput>) => AdvisoryContent.parse({ nl: { title: 'Test' }, ...input });
  const products = [
    { id: 'P1', vendor: 'Example', name: 'Gateway', versions: '>=2.0 <2.4.1' },
    { id: 'P2', vendor: 'Example', name: 'Gateway', versions: '>=2.4.1' },
    { id: 'P3', vendor: 'Example', name: 'Console' },
    { id: 'P4', vendor: 'Example', name: 'Agent' },
    { id: 'P5', vendor: 'Example', name: 'Monitor' },
  ];
  const vulnerabilities = [
    {
      cve: 'CVE-2026-0001',
      productStatus: [
        { productId: 'P1', status: 'affected' as const },
        { productId: 'P2', status: 'fixed' as const },
        { productId: 'P3', status: 'not_affected' as const },
        { productId: 'P4', status: 'under_investigation' as const },
      ],
    },
    { cve: 'CVE-2026-0002', productStatus: [{ productId: 'P3', status: 'fixed' as const }] },
  ];

  it('counts affected, under investigation and status-less products, not fixed/not affected ones', () => {
    expect([...concerningProductIds(content({ products, vulnerabilities }))].sort()).toEqual(['P1', 'P4', 'P5']);
  });

  it('says which affected product concerns which declared product', () => {
    const declaredList = [
      { id: 'a', vendor: 'Example B.V.', product: 'gateway', version: '2.3' },
      { id: 'b', vendor: 'Example', product: 'Gateway', version: '2.5' },
      { id: 'c', vendor: 'example', product: 'console' },
      { id: 'd', vendor: 'Example', product: 'Agent', version: '1.0' },
      { id: 'e', vendor: 'Other', product: 'Monitor' },
    ];
    const hits = relevantProducts(content({ products, vulnerabilities }), declaredList);
    expect(hits.map((h) => [h.productId, h.declared.id, h.reason, h.versionKnown])).toEqual([
      ['P1', 'a', 'name', true],
      ['P4', 'd', 'name', true],
    ]);
    expect(hits[0]!.declaredIndex).toBe(0);
    // P2 (2.5 is in its range) is only 'fixed': not relevant. P3 is never affected.
    expect(relevantProducts(content({ products, vulnerabilities }), [declaredList[1]!, declaredList[2]!])).toEqual([]);
  });

  it('treats an info message without vulnerabilities as concerning all its products', () => {
    const hits = relevantProducts(content({ products: [products[0]!] }), [{ vendor: 'Example', product: 'Gateway' }]);
    expect(hits).toEqual([{ productId: 'P1', declared: { vendor: 'Example', product: 'Gateway' }, declaredIndex: 0, reason: 'name', versionKnown: false }]);
    expect(relevantProducts(content({ products }), [])).toEqual([]);
  });
});

describe('productMatchKeys', () => {
  it('gives name, CPE and PURL keys', () => {
    expect(productMatchKeys(affected({ cpe: 'cpe:2.3:a:Example:Gateway:2.0:*:*:*:*:*:*:*', purl: 'pkg:npm/%40example/gateway@2.0' })).sort()).toEqual([
      'cpe:example:gateway',
      'name:example|gateway',
      'purl:npm/@example/gateway',
    ]);
    expect(productMatchKeys(declared({ vendor: 'Example Inc.', product: 'Gateway' }))).toEqual(['name:example|gateway']);
  });

  it('shares a key whenever a product matches, and only then (property)', () => {
    const vendor = fc.constantFrom('Example', 'example inc.', 'EXAMPLE B.V.', 'Example GmbH', 'Other', 'Other Corp', 'Acme', 'ACME, Inc.');
    const name = fc.constantFrom('Gateway', 'gate-way', 'GATEWAY', 'Example Gateway', 'Console', 'console_', 'Agent Pro', 'agent  pro');
    const cpeVendor = fc.constantFrom('example', 'Example', 'other', 'acme');
    const cpeProduct = fc.constantFrom('gateway', 'GateWay', 'console', 'agent_pro');
    const version = fc.constantFrom('*', '-', '1.0', '2.4.1', '2.4.10', '3.0-rc1');
    const cpe = fc.option(
      fc.tuple(cpeVendor, cpeProduct, version).map(([v, p, ver]) => `cpe:2.3:a:${v}:${p}:${ver}:*:*:*:*:*:*:*`),
      { nil: null },
    );
    const purl = fc.option(
      fc
        .tuple(
          fc.constantFrom('npm', 'maven', 'pypi'),
          fc.constantFrom('', 'org.example/', '%40example/'),
          fc.constantFrom('gateway', 'Gateway', 'console'),
          fc.constantFrom('', '@1.0', '@2.4.1'),
        )
        .map(([t, ns, n, v]) => `pkg:${t}/${ns}${n}${v}`),
      { nil: null },
    );
    const range = fc.constantFrom('', '2.4.1', '>=2.0 <2.4.1', '<= 3.1', '2.0 - 2.4', 'vers:generic/>=1.0|<2.4.10', 'unreadable range', '2.x');
    const affectedArb = fc.record({ vendor, name, versions: range, cpe, purl });
    const declaredArb = fc.record({ vendor, product: name, version: fc.option(version, { nil: null }), cpe, purl });
    fc.assert(
      fc.property(affectedArb, declaredArb, (a, d) => {
        const m = matchProduct(a, d);
        const ka = new Set(productMatchKeys(a));
        const shared = productMatchKeys(d).some((k) => ka.has(k));
        if (m.relevant) expect(shared).toBe(true);
        expect(m.reason !== null).toBe(shared);
      }),
      { numRuns: 1000 },
    );
  });
});
