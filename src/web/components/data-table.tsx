import { Box, Table, Text } from '@mantine/core';
import {
  createColumnHelper,
  tableFeatures,
  useTable,
  type ColumnHelper,
  type RowData,
} from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';

// Lists are paged and filtered by the server, so the table needs no client-side row models.
const features = tableFeatures({});
export type DataTableFeatures = typeof features;
// Taken from the helper's own return type so each column keeps its own value type.
export type DataTableColumns<TData extends RowData> = ReturnType<
  ColumnHelper<DataTableFeatures, TData>['columns']
>;

export function columnHelper<TData extends RowData>(): ColumnHelper<DataTableFeatures, TData> {
  return createColumnHelper<DataTableFeatures, TData>();
}

/** Stable empty list: a fresh `[]` per render would make the table rebuild its row model. */
export const NO_ROWS: readonly never[] = [];

interface DataTableProps<TData extends RowData> {
  data: readonly TData[];
  columns: DataTableColumns<TData>;
  /** Accessible name of the table (shown as caption to screen readers only). */
  caption: string;
  getRowId?: (row: TData) => string;
  loading?: boolean;
  emptyText?: string;
  testId?: string;
}

export function DataTable<TData extends RowData>({
  data,
  columns,
  caption,
  getRowId,
  loading = false,
  emptyText,
  testId,
}: DataTableProps<TData>) {
  const { t } = useTranslation();
  const table = useTable({
    features,
    columns,
    data,
    getRowId: getRowId ? (row) => getRowId(row) : undefined,
  });
  const rows = table.getRowModel().rows;
  const columnCount = table.getAllLeafColumns().length;

  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table striped highlightOnHover stickyHeader data-testid={testId} aria-busy={loading}>
        <caption className="visually-hidden">{caption}</caption>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => (
                <Table.Th key={header.id} scope="col">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </Table.Th>
              ))}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <Table.Td key={cell.id}>
                  <table.FlexRender cell={cell} />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={columnCount}>
                <Text size="sm" c="dimmed" py="xs">
                  {loading ? t('common.loading') : (emptyText ?? t('common.noResults'))}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
