import { TLP_LEVELS, type Tlp } from '#lib/tlp.ts';
import { optionalEnum, optionalString } from '../../lib/search-params';
import { PRODUCT_KINDS, WORKFLOW_STATUSES, type ProductKind, type WorkflowStatus } from './api';

export interface AdvisoryFilters {
  q?: string;
  kind?: ProductKind;
  status?: WorkflowStatus;
  tlp?: Tlp;
  cve?: string;
  vendor?: string;
  product?: string;
  /** Calendar dates (YYYY-MM-DD), as the API takes them. */
  from?: string;
  to?: string;
  /** Only products that match the participant's own assets. */
  relevant?: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/i;

function optionalDay(value: unknown): string | undefined {
  const text = optionalString(value);
  return text && DAY.test(text) ? text : undefined;
}

export function validateAdvisoriesSearch(search: Record<string, unknown>): AdvisoryFilters {
  const cve = optionalString(search.cve);
  return {
    q: optionalString(search.q),
    kind: optionalEnum(search.kind, PRODUCT_KINDS),
    status: optionalEnum(search.status, WORKFLOW_STATUSES),
    tlp: optionalEnum(search.tlp, TLP_LEVELS),
    // The API refuses a malformed CVE id; a hand-edited URL should not break the page.
    cve: cve && CVE_PATTERN.test(cve) ? cve.toUpperCase() : undefined,
    vendor: optionalString(search.vendor),
    product: optionalString(search.product),
    from: optionalDay(search.from),
    to: optionalDay(search.to),
    relevant: search.relevant === true || search.relevant === 'true' ? true : undefined,
  };
}

/** On the detail page: which published revision to show (the current one when absent). */
export function validateAdvisorySearch(search: Record<string, unknown>): { rev?: number } {
  const raw = typeof search.rev === 'number' ? search.rev : Number(optionalString(search.rev));
  return { rev: Number.isInteger(raw) && raw > 0 ? raw : undefined };
}
