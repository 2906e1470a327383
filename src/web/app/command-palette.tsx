import { useMemo, useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { Spotlight, type SpotlightActionData, type SpotlightActionGroupData } from '@mantine/spotlight';
import { IconBuildingHospital, IconSearch, IconShieldExclamation } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { advisorySearchQuery } from '../features/advisories/api';
import { can } from '../features/auth/permissions';
import { useCurrentUser } from '../features/auth/use-current-user';
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
  // Advisories are only searched (there are too many to preload), and only for those who may read them.
  const readsAdvisories = can(useCurrentUser().role, 'advisories:read');
  const advisories = useQuery({
    ...advisorySearchQuery(debounced),
    enabled: opened && readsAdvisories && debounced !== '',
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
    const products: SpotlightActionData[] = (advisories.data?.items ?? []).map((product) => ({
      id: `advisory:${product.id}`,
      label: product.title,
      description: [product.identifier, t(`advisories.kind.${product.kind}`)].filter(Boolean).join(' · '),
      // The typed text matched the advisory's content, which the label may not show: keep it listed.
      keywords: [debounced],
      leftSection: <IconShieldExclamation size={18} aria-hidden />,
      onClick: () => void navigate({ to: '/advisories/$id', params: { id: product.identifier ?? product.id } }),
    }));
    return [
      { group: t('palette.pages'), actions: pages },
      { group: t('palette.organisations'), actions: organisations },
      ...(products.length > 0 ? [{ group: t('palette.advisories'), actions: products }] : []),
    ];
  }, [items, preloaded.data, searched.data, advisories.data, debounced, navigate, t]);

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
