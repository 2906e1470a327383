import { z } from 'zod';

/** How a product is named across modules: a CPE 2.3 formatted string or a package URL (purl). */
export const Cpe23Name = z
  .string()
  .trim()
  .regex(/^cpe:2\.3:[aho\-*]:(?:[^:]+:){9}[^:]+$/, 'A CPE 2.3 name has 13 parts, e.g. cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*.');

export const PackageUrl = z
  .string()
  .trim()
  .regex(/^pkg:[a-z.+-]+\/.+/, 'A package URL starts with pkg:type/, e.g. pkg:npm/lodash@4.17.21.');
