import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../lib/api-client';

interface FieldIssue {
  path: string;
  message: string;
}

// Validation errors usually carry per-field issues in `details`; listing them saves the user
// a round of guessing which field was wrong.
function fieldIssues(details: unknown): FieldIssue[] {
  const source =
    typeof details === 'object' && details !== null && 'issues' in details ? details.issues : details;
  if (!Array.isArray(source)) return [];
  const items: unknown[] = source;
  const issues: FieldIssue[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const message = 'message' in item && typeof item.message === 'string' ? item.message : null;
    if (!message) continue;
    // The server names the field `field`; zod-style issues call it `path`.
    const rawPath: unknown = 'field' in item ? item.field : 'path' in item ? item.path : undefined;
    const path = Array.isArray(rawPath)
      ? rawPath.map(String).join('.')
      : typeof rawPath === 'string'
        ? rawPath
        : '';
    issues.push({ path, message });
  }
  return issues;
}

/** The API error codes the interface has its own text for, in the reader's language. */
const LOCALIZED_CODES = [
  'not_found',
  'forbidden',
  'validation_failed',
  'invalid_cursor',
  'report_unreadable',
  'csv_source_required',
  'source_exists',
  'source_not_runnable',
  'status_not_allowed',
  'note_required',
  'feed_url_forbidden',
] as const;
type LocalizedCode = (typeof LOCALIZED_CODES)[number];

/** The code whose text to show: every '<thing>_not_found' reads as not_found. */
export function localizedCode(error: unknown): LocalizedCode | null {
  if (!isApiError(error)) return null;
  const code = error.code.endsWith('_not_found') ? 'not_found' : error.code;
  return (LOCALIZED_CODES as readonly string[]).includes(code) ? (code as LocalizedCode) : null;
}

export function errorMessage(error: unknown, fallback: string): string {
  if (isApiError(error)) return error.message || fallback;
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}

/** One line for a notification: our text for the code with the server's specifics, or the server's message. */
export function errorText(error: unknown, t: TFunction): string {
  const code = localizedCode(error);
  const detail = errorMessage(error, '');
  if (!code) return detail || t('common.unexpectedError');
  return detail ? `${t(`errorCodes.${code}`)} ${t('common.errorDetail', { detail })}` : t(`errorCodes.${code}`);
}

interface ErrorAlertProps {
  error: unknown;
  title?: string;
}

/** Renders an API (or other) error as an alert; renders nothing when there is no error. */
export function ErrorAlert({ error, title }: ErrorAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;
  const issues = isApiError(error) ? fieldIssues(error.details) : [];
  // The server writes its messages in English; where the interface knows the code, the reader gets
  // our text in their language first, and the server's specifics (which column, which host) after it.
  const code = localizedCode(error);
  const detail = errorMessage(error, '');
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} aria-hidden />}
      title={title}
      data-testid="error-alert"
    >
      {code ? t(`errorCodes.${code}`) : errorMessage(error, t('common.unexpectedError'))}
      {code && detail ? (
        <Text size="sm" c="dimmed" mt={4}>
          {t('common.errorDetail', { detail })}
        </Text>
      ) : null}
      {/* The message already states the first issue; list them only when there are more. */}
      {issues.length > 1 ? (
        <List size="sm" mt={4}>
          {issues.map((issue, index) => (
            <List.Item key={`${issue.path}-${index}`}>
              {issue.path ? `${issue.path}: ` : ''}
              {issue.message}
            </List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}
