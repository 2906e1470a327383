import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import type { Publication } from '../api';

const STATUS_COLOUR = { draft: 'gray', published: 'teal', withdrawn: 'red' } as const;

/** Marking (always written out), kind, language; for the CERT also the status and an overdue review. */
export function PublicationBadges({ publication: p, showStatus }: { publication: Publication; showStatus: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap">
      <TlpBadge tlp={p.tlp} />
      <Badge size="sm" variant="light">
        {t(`publications.kind.${p.kind}`)}
      </Badge>
      <Badge size="sm" variant="outline" color="gray">
        {p.language.toUpperCase()}
      </Badge>
      {showStatus ? (
        <Badge size="sm" color={STATUS_COLOUR[p.status]}>
          {t(`publications.status.${p.status}`)}
        </Badge>
      ) : null}
      {showStatus && p.reviewOverdue ? (
        <Badge size="sm" color="orange" variant="light">
          {t('publications.reviewOverdue')}
        </Badge>
      ) : null}
    </Group>
  );
}
