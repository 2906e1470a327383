import { z } from 'zod';
import { Cpe23Name, PackageUrl } from '#lib/product-identifiers.ts';

/**
 * The editable content of a product (advisory, info message, operational alert): what an analyst
 * writes, what a draft version stores, and what a published revision freezes. One shape serves the
 * editor, the portal page, mail, PDF and the CSAF document, so nothing is keyed in twice.
 *
 * Kept free of database and HTTP concerns: the CSAF mapping, the renderer and the relevance matcher
 * all work on this type alone.
 */

export const PRODUCT_KINDS = ['advisory', 'info', 'alert'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

export const LEVELS = ['high', 'medium', 'low'] as const;
export type Level = (typeof LEVELS)[number];

export const URGENCIES = ['urgent', 'normal'] as const;

export const PRODUCT_STATUSES = ['affected', 'fixed', 'not_affected', 'under_investigation'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const REMEDIATION_CATEGORIES = ['vendor_fix', 'workaround', 'mitigation', 'none_available', 'no_fix_planned'] as const;
export type RemediationCategory = (typeof REMEDIATION_CATEGORIES)[number];

const text = (max: number) => z.string().trim().max(max);
const markdown = z.string().max(100_000);

/** The text in one language. Dutch is required; English is optional. */
export const LocalisedText = z
  .object({
    title: text(300).min(1, 'A title is required.'),
    summary: text(2000).default(''),
    /** Markdown; rendered and sanitised to HTML once, at save time. */
    body: markdown.default(''),
    /** Markdown: what recipients should do. */
    advice: markdown.default(''),
  })
  .strict();
export type LocalisedText = z.infer<typeof LocalisedText>;

export const Reference = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'A reference is an http(s) URL.' }).max(2000),
    summary: text(500).default(''),
    /** 'self' points at this document elsewhere (e.g. the portal page); everything else is 'external'. */
    category: z.enum(['external', 'self']).default('external'),
  })
  .strict();

export const Source = z
  .object({
    /** e.g. "NCSC-NL", "Siemens ProductCERT". */
    name: text(200).min(1),
    url: z.url({ protocol: /^https?$/ }).max(2000).nullish(),
    /** The source's own identifier, e.g. the CSAF tracking id it was imported from. */
    reference: text(200).nullish(),
  })
  .strict();

/** A local product id: referenced from vulnerabilities; kept from CSAF on import (e.g. "CSAFPID-0001"). */
const ProductRef = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s]+$/, 'A product id has no spaces.');

export const AffectedProduct = z
  .object({
    id: ProductRef,
    vendor: text(200).min(1, 'A vendor is required.'),
    name: text(300).min(1, 'A product name is required.'),
    /**
     * The versions concerned: one exact version ("2.4.1"), a range in plain operators
     * (">=2.0 <2.4.1", "<=3.1") or a vers URI ("vers:generic/>=2.0|<2.4.1"); empty for all versions.
     */
    versions: text(300).default(''),
    cpe: Cpe23Name.nullish(),
    purl: PackageUrl.nullish(),
    medicalDevice: z.boolean().default(false),
    /** Device model, when medicalDevice is set. */
    model: text(200).nullish(),
  })
  .strict();
export type AffectedProduct = z.infer<typeof AffectedProduct>;

export const Remediation = z
  .object({
    category: z.enum(REMEDIATION_CATEGORIES),
    details: text(5000).min(1, 'Say what to do.'),
    /** For a vendor fix: the first fixed version. */
    fixedVersion: text(100).nullish(),
    url: z.url({ protocol: /^https?$/ }).max(2000).nullish(),
    productIds: z.array(ProductRef).min(1, 'Name the products this remediation is for.').max(500),
  })
  .strict();
export type Remediation = z.infer<typeof Remediation>;

export const Vulnerability = z
  .object({
    cve: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^CVE-\d{4}-\d{4,}$/, 'A CVE id looks like CVE-2026-12345.')
      .nullish(),
    title: text(500).default(''),
    description: text(10_000).default(''),
    cwe: z
      .object({
        id: z.string().regex(/^CWE-[1-9]\d{0,5}$/, 'A CWE id looks like CWE-79.'),
        name: text(500).min(1),
      })
      .strict()
      .nullish(),
    /** CVSS 3.1 (or 3.0, kept from imports) vector; the score is computed, never typed. */
    cvssV3: z.string().trim().max(200).nullish(),
    /** CVSS 4.0 vector. */
    cvssV4: z.string().trim().max(300).nullish(),
    /** CVSS 2.0 vector, only kept from imported documents. */
    cvssV2: z.string().trim().max(200).nullish(),
    /** Known to be exploited (e.g. on the CISA KEV list). */
    knownExploited: z.boolean().default(false),
    /** Status per affected product, by product id. */
    productStatus: z
      .array(z.object({ productId: ProductRef, status: z.enum(PRODUCT_STATUSES) }).strict())
      .max(2000)
      .default([]),
    remediations: z.array(Remediation).max(200).default([]),
  })
  .strict();
export type Vulnerability = z.infer<typeof Vulnerability>;

/**
 * Who is credited for the advisory (CSAF /document/acknowledgments): e.g. the finder of a vulnerability
 * whose disclosure the CERT coordinated, named as they chose. At least one of the fields says something.
 */
export const Acknowledgment = z
  .object({
    /** People, by name or alias. */
    names: z.array(text(200).min(1)).max(20).default([]),
    organization: text(200).nullish(),
    summary: text(500).default(''),
    urls: z
      .array(z.url({ protocol: /^https?$/, error: 'An acknowledgment URL is an http(s) URL.' }).max(2000))
      .max(10)
      .default([]),
  })
  .strict();
export type Acknowledgment = z.infer<typeof Acknowledgment>;

export const AdvisoryContent = z
  .object({
    nl: LocalisedText,
    en: LocalisedText.nullish(),
    urgency: z.enum(URGENCIES).default('normal'),
    probability: z.enum(LEVELS).default('medium'),
    impact: z.enum(LEVELS).default('medium'),
    references: z.array(Reference).max(200).default([]),
    sources: z.array(Source).max(50).default([]),
    tags: z.array(text(60).min(1)).max(50).default([]),
    products: z.array(AffectedProduct).max(2000).default([]),
    vulnerabilities: z.array(Vulnerability).max(500).default([]),
    acknowledgments: z.array(Acknowledgment).max(50).default([]),
  })
  .strict()
  .superRefine((c, issue) => {
    c.acknowledgments.forEach((a, i) => {
      // CSAF needs every acknowledgment to carry something (minProperties 1, no empty strings).
      if (!a.names.length && !a.organization && !a.summary && !a.urls.length)
        issue.addIssue({ code: 'custom', path: ['acknowledgments', i], message: 'An acknowledgment names someone, an organisation, or says what for.' });
    });
    const ids = new Set<string>();
    c.products.forEach((p, i) => {
      if (ids.has(p.id)) issue.addIssue({ code: 'custom', path: ['products', i, 'id'], message: `Product id ${p.id} is used twice.` });
      ids.add(p.id);
    });
    c.vulnerabilities.forEach((v, vi) => {
      v.productStatus.forEach((s, si) => {
        if (!ids.has(s.productId))
          issue.addIssue({ code: 'custom', path: ['vulnerabilities', vi, 'productStatus', si, 'productId'], message: `No product with id ${s.productId}.` });
      });
      v.remediations.forEach((r, ri) => {
        r.productIds.forEach((pid, pi) => {
          if (!ids.has(pid))
            issue.addIssue({ code: 'custom', path: ['vulnerabilities', vi, 'remediations', ri, 'productIds', pi], message: `No product with id ${pid}.` });
        });
      });
    });
  });
export type AdvisoryContent = z.infer<typeof AdvisoryContent>;
export type AdvisoryContentInput = z.input<typeof AdvisoryContent>;

/** What the CSAF mapping needs beyond the content: identity, marking and history of the product. */
export interface PublicationMeta {
  kind: ProductKind;
  /** e.g. "WP-2026-0042". */
  identifier: string;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  /** Revisions so far, oldest first; the last one is the one being produced. */
  revisions: readonly { number: number; date: string; summary: string }[];
  initialReleaseDate: string;
  currentReleaseDate: string;
  status: 'final' | 'interim';
  /** Set when the product is withdrawn: the document says so. */
  withdrawn?: boolean;
  /** Absolute URL of the portal page, e.g. https://cert.example/advisories/WP-2026-0042. */
  selfUrl: string;
}

export interface Publisher {
  name: string;
  namespace: string;
  contactDetails: string;
  issuingAuthority?: string;
}
