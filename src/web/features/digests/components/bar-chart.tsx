import { Box, Table, Text, Title } from '@mantine/core';
import type { DigestChart } from '../api';

/**
 * A bar chart the way the mail draws it: a table whose bars have widths, every value written out
 * beside its bar, so the figure reads without the bars (and to a screen reader).
 */
export function BarChart({ chart, id }: { chart: DigestChart; id: string }) {
  const max = Math.max(1, ...chart.rows.map((r) => r.value));
  return (
    <Box component="figure" m={0} mb="md" aria-labelledby={id}>
      <Title order={3} size="h6" id={id} mb={4} component="figcaption">
        {chart.title}
      </Title>
      {chart.rows.length === 0 && chart.empty ? (
        <Text size="sm" c="dimmed">
          {chart.empty}
        </Text>
      ) : (
        <Table withRowBorders={false} verticalSpacing={2} maw={600} aria-labelledby={id}>
          <Table.Tbody>
            {chart.rows.map((row) => (
              <Table.Tr key={row.label}>
                <Table.Th scope="row" w="40%" fw={400}>
                  {row.label}
                </Table.Th>
                <Table.Td w="48%">
                  <Box
                    aria-hidden
                    h={14}
                    bg={row.value > 0 ? 'blue.8' : undefined}
                    w={row.value > 0 ? `${Math.max(2, Math.round((row.value / max) * 100))}%` : 0}
                  />
                </Table.Td>
                <Table.Td w="12%" ta="right" fw={700}>
                  {row.value}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Box>
  );
}
