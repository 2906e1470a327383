import { useMemo, useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { Spotlight, type SpotlightActionData, type SpotlightActionGroupData } from '@mantine/spotlight';
import { IconBuildingHospital, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { organisationSearchQuery, type Organisation } from '../features/organisations/api';
import type { NavItem } from './nav-items';

// The first 200 organisations are loaded when the palette opens so that filtering is instant
// and Enter always hits the top match; a server search covers installations with more.
const PRELOAD = 200;

export function CommandPalette({ items }: { items: NavItem[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const preloaded = useQuery({ ...organisationSearchQuery('', PRELOAD), enabled: opened });
  const searched = useQuery({
    ...organisationSearchQuery(debounced, 20),
    enabled: opened && debounced !== '',
  });

  const actions = useMemo((): SpotlightActionGroupData[] => {
    const pages: SpotlightActionData[] = items.map((item) => {
      const Icon = item.icon;
      return {
        id: `page:${item.key}`,
        label: t(`nav.${item.key}`),
        leftSection: <Icon size={18} aria-hidden />,
        onClick: () => void navigate({ to: item.to }),
      };
    });
    const byId = new Map<string, Organisation>();
    for (const org of [...(preloaded.data?.items ?? []), ...(searched.data?.items ?? [])])
      byId.set(org.id, org);
    const organisations: SpotlightActionData[] = [...byId.values()].map((org) => ({
      id: `org:${org.id}`,
      label: org.name,
      description: [org.shortName, t(`organisation.kind.${org.kind}`)].filter(Boolean).join(' · '),
      leftSection: <IconBuildingHospital size={18} aria-hidden />,
      onClick: () => void navigate({ to: '/organisations/$id', params: { id: org.id } }),
    }));
    return [
      { group: t('palette.pages'), actions: pages },
      { group: t('palette.organisations'), actions: organisations },
    ];
  }, [items, preloaded.data, searched.data, navigate, t]);

  return (
    <Spotlight
      actions={actions}
      query={query}
      onQueryChange={setQuery}
      onSpotlightOpen={() => setOpened(true)}
      onSpotlightClose={() => setOpened(false)}
      shortcut={['mod + K']}
      nothingFound={t('palette.nothingFound')}
      highlightQuery
      limit={25}
      scrollable
      maxHeight={420}
      // The title names the dialog for screen readers; sighted users see the search field.
      title={t('palette.title')}
      classNames={{ header: 'visually-hidden' }}
      searchProps={{
        leftSection: <IconSearch size={18} aria-hidden />,
        placeholder: t('palette.placeholder'),
        'aria-label': t('palette.placeholder'),
      }}
    />
  );
}
