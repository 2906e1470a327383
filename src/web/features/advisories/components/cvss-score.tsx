import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { parseCvss3, parseCvss4, type CvssSeverity } from '#lib/cvss.ts';

// Scores are computed from the vector by the same code the server uses (src/lib/cvss.ts), so
// what the editor shows next to a vector is exactly what the published document will carry.

export type CvssVersion = 'v3' | 'v4';

export interface ScoreResult {
  ok: boolean;
  score?: number;
  severity?: CvssSeverity;
  message?: string;
}

export function scoreVector(version: CvssVersion, vector: string): ScoreResult | null {
  const trimmed = vector.trim();
  if (trimmed === '') return null;
  const result = version === 'v3' ? parseCvss3(trimmed) : parseCvss4(trimmed);
  if (!result.ok) return { ok: false, message: result.message };
  // For 4.0 the score of the whole vector (CVSS-BT/BE/BTE) is what a reader acts on.
  if ('score' in result) return { ok: true, score: result.score, severity: result.severity };
  return { ok: true, score: result.baseScore, severity: result.baseSeverity };
}

const SEVERITY_COLOR: Record<CvssSeverity, { color: string; variant: 'light' | 'filled' }> = {
  NONE: { color: 'gray', variant: 'light' },
  LOW: { color: 'lime', variant: 'light' },
  MEDIUM: { color: 'yellow', variant: 'light' },
  HIGH: { color: 'orange', variant: 'light' },
  CRITICAL: { color: 'red', variant: 'filled' },
};

/** "9.8 Critical", coloured by severity; the text carries the meaning, the colour only helps. */
export function CvssBadge({ score, severity }: { score: number; severity: CvssSeverity }) {
  const { t } = useTranslation();
  const style = SEVERITY_COLOR[severity];
  return (
    <Badge color={style.color} variant={style.variant} size="sm" component="span" data-testid="cvss-score">
      {score.toFixed(1)} {t(`advisories.severity.${severity}`)}
    </Badge>
  );
}

/** The score of a vector as a badge, or the vector's error; nothing when there is no vector. */
export function CvssScore({ version, vector }: { version: CvssVersion; vector: string | null | undefined }) {
  const { t } = useTranslation();
  const result = vector ? scoreVector(version, vector) : null;
  if (!result) return <>—</>;
  if (!result.ok || result.score === undefined || !result.severity) return <>{t('advisories.cvss.invalid')}</>;
  return <CvssBadge score={result.score} severity={result.severity} />;
}
