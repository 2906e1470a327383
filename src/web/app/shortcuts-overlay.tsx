import { Group, Kbd, Modal, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { NavItem } from './nav-items';

interface ShortcutsOverlayProps {
  opened: boolean;
  onClose: () => void;
  items: NavItem[];
}

export function ShortcutsOverlay({ opened, onClose, items }: ShortcutsOverlayProps) {
  const { t } = useTranslation();
  const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
  const rows: { keys: string[]; label: string }[] = [
    { keys: [isMac ? '⌘' : 'Ctrl', 'K'], label: t('shortcuts.palette') },
    { keys: ['?'], label: t('shortcuts.help') },
    { keys: ['/'], label: t('shortcuts.search') },
    { keys: ['j', 'k'], label: t('shortcuts.rows') },
    { keys: ['Enter'], label: t('shortcuts.openRow') },
    { keys: ['n'], label: t('shortcuts.newItem') },
    { keys: ['Esc'], label: t('shortcuts.close') },
    ...items.map((item) => ({
      keys: ['g', item.goKey],
      label: t('shortcuts.goTo', { page: t(`nav.${item.key}`) }),
    })),
  ];
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} size="md">
      <Table verticalSpacing={4}>
        <caption className="visually-hidden">{t('shortcuts.title')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('shortcuts.keys')}</Table.Th>
            <Table.Th scope="col">{t('shortcuts.action')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.label}>
              <Table.Td>
                <Group gap={4}>
                  {row.keys.map((key, index) => (
                    <Kbd key={`${key}-${index}`} size="xs">
                      {key}
                    </Kbd>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{row.label}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
