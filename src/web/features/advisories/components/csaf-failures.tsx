import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CsafFailure } from '../api';

/** The CSAF 2.0 tests a document fails, with where in the document and why. */
export function CsafFailures({ failures }: { failures: CsafFailure[] }) {
  const { t } = useTranslation();
  if (failures.length === 0) return null;
  return (
    <div data-testid="csaf-failures">
      <Text size="sm" fw={600} mb={4}>
        {t('advisories.csaf.failedTests', { count: failures.length })}
      </Text>
      <Table fz="xs" verticalSpacing={2}>
        <caption className="visually-hidden">{t('advisories.csaf.failedTests', { count: failures.length })}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('advisories.csaf.test')}</Table.Th>
            <Table.Th scope="col">{t('advisories.csaf.path')}</Table.Th>
            <Table.Th scope="col">{t('advisories.csaf.message')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {failures.map((failure, index) => (
            <Table.Tr key={`${failure.test}-${failure.path}-${index}`}>
              <Table.Td className="nowrap">{failure.test}</Table.Td>
              <Table.Td ff="monospace">{failure.path}</Table.Td>
              <Table.Td>{failure.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
