import { domainToASCII } from 'node:url';
import { parse } from 'tldts';

/**
 * Normalises a domain name: lower case, IDN to punycode, no trailing dot; refuses public suffixes
 * ('nl', 'co.uk') and anything that is not a host name. Returns null or the reason as an error.
 */
export function normaliseDomain(input: string): { domain: string } | { error: string } {
  let text = input.trim().toLowerCase().replace(/\.$/, '');
  if (text.startsWith('*.')) text = text.slice(2);
  if (!text || text.length > 253) return { error: 'A domain name has 1 to 253 characters.' };
  const ascii = domainToASCII(text);
  if (!ascii) return { error: 'This is not a valid domain name.' };
  const labels = ascii.split('.');
  if (labels.length < 2 || labels.some((l) => !/^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(l))) {
    return { error: 'This is not a valid domain name: use letters, digits and hyphens, separated by dots.' };
  }
  const info = parse(ascii, { allowPrivateDomains: true });
  if (info.isIp) return { error: 'This is an IP address, not a domain name.' };
  if (!info.domain && info.publicSuffix === ascii) return { error: `${ascii} is a public suffix; name a domain under it.` };
  return { domain: ascii };
}
