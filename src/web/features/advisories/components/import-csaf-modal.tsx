import { useState, type FormEvent } from 'react';
import { Alert, Button, FileInput, Group, Modal, NativeSelect, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconJson } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, tlpLabel } from '#lib/tlp.ts';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { advisoriesApi, advisoryKeys, type ImportInput } from '../api';
import { csafFailuresOf } from '../errors';
import { CsafFailures } from './csaf-failures';

type Source = 'document' | 'url';

interface ImportCsafModalProps {
  onClose: () => void;
  onImported: (id: string) => void;
}

/** Imports a CSAF 2.0 document (pasted, uploaded or fetched from a URL) as a new draft. */
export function ImportCsafModal({ onClose, onImported }: ImportCsafModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [source, setSource] = useState<Source>('document');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [tlp, setTlp] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: (input: ImportInput) => advisoriesApi.importCsaf(input),
    onSuccess: async (result) => {
      notifications.show({ color: 'green', message: t('advisories.import.done') });
      await queryClient.invalidateQueries({ queryKey: advisoryKeys.all });
      onImported(result.id);
    },
  });

  const loadFile = (next: File | null) => {
    setFile(next);
    setParseError(null);
    if (next) void next.text().then(setText);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const marking = optionalEnum(tlp, TLP_LEVELS);
    if (source === 'url') {
      mutation.mutate({ url: url.trim(), tlp: marking });
      return;
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      setParseError(t('advisories.import.notJson', { message: error instanceof Error ? error.message : '' }));
      return;
    }
    setParseError(null);
    mutation.mutate({ document, tlp: marking });
  };

  const failures = csafFailuresOf(mutation.error);
  const ready = source === 'url' ? url.trim() !== '' : text.trim() !== '';

  return (
    <Modal opened onClose={onClose} title={t('advisories.import.title')} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('advisories.import.help')}</Text>
          <SegmentedControl
            value={source}
            onChange={(value) => setSource(value === 'url' ? 'url' : 'document')}
            data={[
              { value: 'document', label: t('advisories.import.fromDocument') },
              { value: 'url', label: t('advisories.import.fromUrl') },
            ]}
            aria-label={t('advisories.import.source')}
          />
          {source === 'document' ? (
            <>
              <FileInput
                label={t('advisories.import.file')}
                placeholder={t('advisories.import.filePlaceholder')}
                accept=".json,application/json"
                leftSection={<IconJson size={16} aria-hidden />}
                value={file}
                onChange={loadFile}
                clearable
              />
              <Textarea
                label={t('advisories.import.json')}
                name="document"
                autosize
                minRows={6}
                maxRows={16}
                spellCheck={false}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
                value={text}
                error={parseError}
                onChange={(event) => {
                  setText(event.currentTarget.value);
                  setParseError(null);
                }}
              />
            </>
          ) : (
            <TextInput
              label={t('advisories.import.url')}
              description={t('advisories.import.urlHelp')}
              name="url"
              type="url"
              placeholder="https://"
              value={url}
              onChange={(event) => setUrl(event.currentTarget.value)}
            />
          )}
          <NativeSelect
            label={t('advisories.fields.tlp')}
            description={t('advisories.import.tlpHelp')}
            name="tlp"
            value={tlp}
            onChange={(event) => setTlp(event.currentTarget.value)}
            data={[{ value: '', label: t('advisories.import.tlpFromDocument') }, ...TLP_LEVELS.map((level) => ({ value: level, label: tlpLabel(level) }))]}
          />
          {failures.length > 0 ? (
            <Alert color="red" variant="light" role="alert" title={t('advisories.import.invalid')}>
              <CsafFailures failures={failures} />
            </Alert>
          ) : (
            <ErrorAlert error={mutation.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={!ready} data-testid="import-submit">
              {t('advisories.import.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
