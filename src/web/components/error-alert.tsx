import { Alert, List } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
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

export function errorMessage(error: unknown, fallback: string): string {
  if (isApiError(error)) return error.message || fallback;
  if (error instanceof Error && error.message) return error.message;
  return fallback;
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
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} aria-hidden />}
      title={title}
      data-testid="error-alert"
    >
      {errorMessage(error, t('common.unexpectedError'))}
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
