import { useState } from 'react';
import { Alert, Button, Menu, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/error-alert';
import { chatKeys, convertChat, type Conversion, type Converted } from './api';
import { useChatT } from './i18n';

const KINDS = ['website', 'system', 'product'] as const;
type CvdKind = (typeof KINDS)[number];

/** The analyst's one step: the chat becomes a request, an incident case or a CVD case. */
export function ConvertChat({ requestId }: { requestId: string }) {
  const t = useChatT();
  const queryClient = useQueryClient();
  const [cvdOpen, setCvdOpen] = useState(false);
  const [kind, setKind] = useState<CvdKind>('website');
  const [target, setTarget] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Converted | null>(null);

  const run = (body: Conversion) => {
    setError(null);
    convertChat(requestId, body).then(
      (out) => {
        setDone(out);
        setCvdOpen(false);
        void queryClient.invalidateQueries({ queryKey: chatKeys.all });
      },
      (err: unknown) => setError(err),
    );
  };

  return (
    <>
      <Menu position="bottom-end">
        <Menu.Target>
          <Button variant="light" data-testid="chat-convert">
            {t('convert.title')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => run({ to: 'request' })}>{t('convert.request')}</Menu.Item>
          <Menu.Item onClick={() => run({ to: 'incident' })}>{t('convert.incident')}</Menu.Item>
          <Menu.Item onClick={() => setCvdOpen(true)}>{t('convert.cvd')}</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={cvdOpen} onClose={() => setCvdOpen(false)} title={t('convert.cvd')}>
        <Stack>
          <Select
            label={t('convert.cvdKind')}
            value={kind}
            allowDeselect={false}
            onChange={(v) => setKind(KINDS.find((k) => k === v) ?? 'website')}
            data={KINDS.map((k) => ({ value: k, label: t(`convert.kinds.${k}`) }))}
          />
          {kind !== 'product' && <TextInput label={t('convert.cvdTarget')} value={target} onChange={(e) => setTarget(e.currentTarget.value)} />}
          <Button onClick={() => run({ to: 'cvd', targetKind: kind, ...(target.trim() && kind !== 'product' && { target: target.trim() }) })}>
            {t('convert.confirm')}
          </Button>
        </Stack>
      </Modal>
      {error !== null && <ErrorAlert error={error} />}
      {done && (
        <Alert color="green" variant="light" p="xs" role="status">
          {t('convert.done', { reference: done.reference })}
        </Alert>
      )}
    </>
  );
}
