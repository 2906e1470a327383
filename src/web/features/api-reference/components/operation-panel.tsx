import { Accordion, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { JsonBlock } from '../../../components/json-block';
import type { HttpMethod, Operation } from '../openapi';

const METHOD_COLOR: Record<HttpMethod, string> = {
  get: 'blue',
  post: 'green',
  put: 'orange',
  patch: 'teal',
  delete: 'red',
  head: 'gray',
  options: 'gray',
};

export function MethodBadge({ method }: { method: HttpMethod }) {
  return (
    <Badge color={METHOD_COLOR[method]} variant="light" w={64} radius="sm" size="sm">
      {method.toUpperCase()}
    </Badge>
  );
}

export function OperationPanel({ operation }: { operation: Operation }) {
  const { t } = useTranslation();
  return (
    <Accordion.Item value={operation.id} data-testid="api-operation">
      <Accordion.Control>
        <Group gap="sm" wrap="nowrap">
          <MethodBadge method={operation.method} />
          <Text ff="monospace" size="sm" td={operation.deprecated ? 'line-through' : undefined}>
            {operation.path}
          </Text>
          <Text size="sm" c="dimmed" truncate>
            {operation.summary}
          </Text>
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <Stack gap="sm">
          {operation.description ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {operation.description}
            </Text>
          ) : null}
          {operation.parameters.length > 0 ? (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('apiReference.parameters')}
              </Text>
              <JsonBlock value={operation.parameters} />
            </Stack>
          ) : null}
          {operation.requestSchema !== undefined ? (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('apiReference.request')}
              </Text>
              <JsonBlock value={operation.requestSchema} />
            </Stack>
          ) : null}
          {operation.responses.length > 0 ? (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('apiReference.responses')}
              </Text>
              <Accordion multiple variant="contained" chevronPosition="left">
                {operation.responses.map((response) => (
                  <Accordion.Item key={response.status} value={response.status}>
                    <Accordion.Control>
                      <Text size="sm">
                        <code>{response.status}</code> {response.description}
                      </Text>
                    </Accordion.Control>
                    <Accordion.Panel>
                      {response.schema === undefined ? (
                        <Text size="xs" c="dimmed">
                          —
                        </Text>
                      ) : (
                        <JsonBlock value={response.schema} />
                      )}
                    </Accordion.Panel>
                  </Accordion.Item>
                ))}
              </Accordion>
            </Stack>
          ) : null}
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  );
}
