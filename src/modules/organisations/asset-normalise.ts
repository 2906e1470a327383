import { normaliseDomain } from '#lib/domain.ts';
import { parseAsn, parseIpRange } from '#lib/ip.ts';
import type { AssetProduct } from '#db/schema.ts';
import { ProductInput, type AssetInput } from './organisation.schema.ts';

export interface NormalisedAsset {
  type: 'ip_range' | 'asn' | 'domain' | 'product';
  value: string;
  includeSubdomains: boolean;
  rangeStart: string | null;
  rangeEnd: string | null;
  product: AssetProduct | null;
}

/** Turns a claimed asset into its canonical form, or says in words why it is not valid. */
export function normaliseAsset(input: AssetInput): { asset: NormalisedAsset } | { error: string } {
  const value = input.value?.trim() ?? '';
  switch (input.type) {
    case 'ip_range': {
      const r = parseIpRange(value);
      if (!r) return { error: `“${value}” is not an IPv4 or IPv6 address or CIDR range (e.g. 192.0.2.0/24 or 2001:db8::/48).` };
      const minPrefix = r.version === 4 ? 8 : 16;
      if (Number(r.cidr.split('/')[1]) < minPrefix) return { error: `A range wider than /${minPrefix} is not one organisation's; split it.` };
      return { asset: { type: 'ip_range', value: r.cidr, includeSubdomains: false, rangeStart: r.start, rangeEnd: r.end, product: null } };
    }
    case 'asn': {
      const asn = parseAsn(value);
      if (!asn) return { error: `“${value}” is not an AS number (e.g. AS64500).` };
      return { asset: { type: 'asn', value: asn, includeSubdomains: false, rangeStart: null, rangeEnd: null, product: null } };
    }
    case 'domain': {
      const d = normaliseDomain(value);
      if ('error' in d) return d;
      return { asset: { type: 'domain', value: d.domain, includeSubdomains: input.includeSubdomains, rangeStart: null, rangeEnd: null, product: null } };
    }
    case 'product': {
      const parsed = ProductInput.safeParse(input.product ?? {});
      if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'product'}: ${i.message}`).join('; ') };
      const p = parsed.data;
      const product: AssetProduct = {
        vendor: p.vendor,
        product: p.product,
        version: p.version ?? null,
        cpe: p.cpe ?? null,
        purl: p.purl ?? null,
        medicalDevice: p.medicalDevice,
        model: p.model ?? null,
      };
      const key = [p.vendor, p.product, p.version ?? '*'].map((s) => s.toLowerCase()).join('/');
      return { asset: { type: 'product', value: key, includeSubdomains: false, rangeStart: null, rangeEnd: null, product } };
    }
  }
}
