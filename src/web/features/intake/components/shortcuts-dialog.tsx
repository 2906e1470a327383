import { Group, Kbd, Modal, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The keys of the triage inbox ("?"), with a pointer to the app's own shortcuts. */
export function TriageShortcutsDialog({ opened, onClose, canDecide, canDraft }: { opened: boolean; onClose: () => void; canDecide: boolean; canDraft: boolean }) {
  const { t } = useTranslation();
  const rows: { keys: string[]; label: string }[] = [
    { keys: ['j', '↓'], label: t('intake.keys.next') },
    { keys: ['k', '↑'], label: t('intake.keys.previous') },
    { keys: ['Enter', 'o'], label: t('intake.keys.open') },
    { keys: ['x'], label: t('intake.keys.select') },
    { keys: ['u'], label: t('intake.keys.read') },
    ...(canDecide ? [{ keys: ['e'], label: t('intake.keys.noAction') }] : []),
    ...(canDraft ? [{ keys: ['a'], label: t('intake.keys.advisory') }] : []),
    { keys: ['/'], label: t('intake.keys.search') },
    { keys: ['?'], label: t('intake.keys.help') },
  ];
  return (
    <Modal opened={opened} onClose={onClose} title={t('intake.keys.title')} size="md">
      <Table verticalSpacing={4} data-testid="triage-shortcuts">
        <caption className="visually-hidden">{t('intake.keys.title')}</caption>
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
                  {row.keys.map((key) => (
                    <Kbd key={key} size="xs">
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
      <Text size="xs" c="dimmed" mt="sm">
        {t('intake.keys.notWhileTyping')}
      </Text>
    </Modal>
  );
}
