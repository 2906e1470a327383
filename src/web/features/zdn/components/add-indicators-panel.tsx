import { useState } from 'react';
import { Badge, Button, Checkbox, Group, NumberInput, Paper, ScrollArea, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { useAddIndicators, useExtract, type Candidate, type IngestResult } from '../api';
import { IngestErrorAlert, IngestResultAlert } from './ingest-result';

const TEXT_MAX = 1_000_000;
const keyOf = (c: Candidate) => `${c.type} ${c.value}`;

/**
 * The analyst's paste workflow: free text in, the server finds (and refangs) the indicators, the
 * analyst unticks what should not be shared and adds the rest to the event in one request.
 */
export function AddIndicatorsPanel({ eventId }: { eventId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confidence, setConfidence] = useState<number>(50);
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<IngestResult | null>(null);
  const extract = useExtract();
  const add = useAddIndicators(eventId);
  const chosen = (candidates ?? []).filter((c) => selected.has(keyOf(c)));

  const find = () => {
    if (!text.trim()) return;
    setResult(null);
    add.reset();
    extract.mutate(text, {
      onSuccess: ({ candidates: found }) => {
        setCandidates(found);
        setSelected(new Set(found.map(keyOf)));
      },
    });
  };

  const submit = () =>
    add.mutate(
      chosen.map((c) => ({ type: c.type, value: c.value, confidence, ...(comment.trim() ? { comment: comment.trim() } : {}) })),
      {
        onSuccess: (outcome) => {
          setResult(outcome);
          setCandidates(null);
          setSelected(new Set());
          setText('');
        },
      },
    );

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="add-indicators-title" data-testid="add-indicators-panel">
      <Stack gap="sm">
        <Title order={2} size="h5" id="add-indicators-title">
          {t('zdn.add.title')}
        </Title>
        {result ? <IngestResultAlert result={result} /> : null}
        <Textarea
          label={t('zdn.add.text')}
          description={t('zdn.add.textHelp')}
          name="text"
          autosize
          minRows={4}
          maxRows={16}
          maxLength={TEXT_MAX}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group gap="xs">
          <Button variant="default" leftSection={<IconSearch size={16} aria-hidden />} onClick={find} loading={extract.isPending} disabled={!text.trim()} data-testid="find-indicators">
            {t('zdn.add.find')}
          </Button>
        </Group>
        <ErrorAlert error={extract.error} />
        {candidates !== null && candidates.length === 0 ? (
          <Text size="sm" c="dimmed" role="status" data-testid="no-candidates">
            {t('zdn.add.none')}
          </Text>
        ) : null}
        {candidates !== null && candidates.length > 0 ? (
          <Stack gap="xs">
            <Checkbox.Group
              label={t('zdn.add.candidates', { count: candidates.length })}
              description={t('zdn.add.candidatesHelp')}
              value={[...selected]}
              onChange={(values) => setSelected(new Set(values))}
            >
              <ScrollArea.Autosize mah={360} type="auto" mt="xs">
                <Stack gap={6} data-testid="candidates">
                  {candidates.map((c) => (
                    <Checkbox
                      key={keyOf(c)}
                      value={keyOf(c)}
                      label={
                        <Group gap="xs" wrap="nowrap" component="span">
                          <Badge color="gray" variant="outline" size="sm" radius="xs" tt="none" component="span">
                            {t(`zdn.types.${c.type}`)}
                          </Badge>
                          <Text span size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                            {c.value}
                          </Text>
                        </Group>
                      }
                      data-testid="candidate"
                    />
                  ))}
                </Stack>
              </ScrollArea.Autosize>
            </Checkbox.Group>
            <Group gap="xs">
              <Button size="xs" variant="subtle" onClick={() => setSelected(new Set(candidates.map(keyOf)))}>
                {t('zdn.add.selectAll')}
              </Button>
              <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>
                {t('zdn.add.selectNone')}
              </Button>
            </Group>
            <Group gap="sm" align="flex-start" wrap="wrap">
              <NumberInput
                label={t('zdn.fields.confidence')}
                description={t('zdn.add.confidenceHelp')}
                name="confidence"
                min={0}
                max={100}
                clampBehavior="strict"
                allowDecimal={false}
                value={confidence}
                onChange={(value) => setConfidence(typeof value === 'number' ? value : 50)}
                w={180}
              />
              <TextInput
                label={t('zdn.fields.comment')}
                description={t('zdn.add.commentHelp')}
                name="comment"
                maxLength={5000}
                value={comment}
                onChange={(event) => setComment(event.currentTarget.value)}
                style={{ flex: 1, minWidth: 220 }}
              />
            </Group>
            <Group gap="xs">
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={submit} loading={add.isPending} disabled={chosen.length === 0} data-testid="add-candidates">
                {t('zdn.add.submit', { count: chosen.length })}
              </Button>
            </Group>
          </Stack>
        ) : null}
        <IngestErrorAlert error={add.error} />
      </Stack>
    </Paper>
  );
}
