import { isApiError } from '../../lib/api-client';
import type { CsafFailure, DraftConflict } from './api';

// Readers for the `details` of the API's advisory errors. The details arrive as unknown JSON, so
// each field is checked before it is used.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The 409 of a draft saved by someone else since the editor loaded it, or null for any other error. */
export function draftConflictOf(error: unknown): DraftConflict | null {
  if (!isApiError(error) || error.code !== 'draft_conflict' || !isRecord(error.details)) return null;
  const { currentVersion, savedBy, savedAt } = error.details;
  if (typeof currentVersion !== 'number') return null;
  return { currentVersion, savedBy: stringOrNull(savedBy), savedAt: stringOrNull(savedAt) };
}

/** The failed CSAF tests of a 400 'csaf_invalid' (import or publication); empty for any other error. */
export function csafFailuresOf(error: unknown): CsafFailure[] {
  if (!isApiError(error) || error.code !== 'csaf_invalid' || !isRecord(error.details)) return [];
  const failures = error.details.failures;
  if (!Array.isArray(failures)) return [];
  const items: unknown[] = failures;
  return items.filter(isRecord).map((failure) => ({
    test: stringOrNull(failure.test) ?? '',
    message: stringOrNull(failure.message) ?? '',
    path: stringOrNull(failure.path) ?? '',
  }));
}

/**
 * Field issues of a 400, with the field as a path (e.g. "content.nl.title"): the list of a
 * 'validation_failed', or the one field a service error names.
 */
export function fieldIssuesOf(error: unknown): { field: string; message: string }[] {
  if (!isApiError(error) || !isRecord(error.details)) return [];
  const { issues, field } = error.details;
  if (typeof field === 'string') return [{ field, message: error.message }];
  if (!Array.isArray(issues)) return [];
  const items: unknown[] = issues;
  return items.filter(isRecord).flatMap((issue) => {
    const field = stringOrNull(issue.field);
    const message = stringOrNull(issue.message);
    return field && message ? [{ field, message }] : [];
  });
}

/** Whether the error is the four-eyes refusal: the approver wrote or edited the draft. */
export function isFourEyesRefusal(error: unknown): boolean {
  return isApiError(error) && error.status === 403;
}
