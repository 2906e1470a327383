import { Group } from '@mantine/core';
import { IconCalendar, IconChartBar, IconFileUpload, IconListDetails, IconPlugConnected, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { RouterButton } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';

type Section = 'findings' | 'overview' | 'reports' | 'sources' | 'calendar';
const SECTIONS: { key: Section; to: '/monitoring' | '/monitoring/overview' | '/monitoring/reports' | '/monitoring/sources' | '/monitoring/calendar'; icon: Icon }[] = [
  { key: 'findings', to: '/monitoring', icon: IconListDetails },
  { key: 'overview', to: '/monitoring/overview', icon: IconChartBar },
  { key: 'reports', to: '/monitoring/reports', icon: IconFileUpload },
  { key: 'sources', to: '/monitoring/sources', icon: IconPlugConnected },
  { key: 'calendar', to: '/monitoring/calendar', icon: IconCalendar },
];

/** The CERT's parts of monitoring, one link each (participants see only their findings, so no bar). */
export function MonitoringSections({ current }: { current: Section }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  if (!can(user.role, 'monitoring:write')) return null;
  return (
    <Group component="nav" gap="xs" mb="md" aria-label={t('monitoring.sections.label')} data-testid="monitoring-sections">
      {SECTIONS.map(({ key, to, icon: SectionIcon }) => (
        <RouterButton
          key={key}
          to={to}
          size="xs"
          variant={key === current ? 'light' : 'subtle'}
          leftSection={<SectionIcon size={14} aria-hidden />}
          aria-current={key === current ? 'page' : undefined}
          data-testid={`monitoring-section-${key}`}
        >
          {t(`monitoring.sections.${key}`)}
        </RouterButton>
      ))}
    </Group>
  );
}
