import { useState } from 'react';
import { Button, Group, Modal, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import type { PublicationDetail } from '../api';
import { usePatchPublication } from '../mutations';
import { audienceOf, MetadataFields, metadataErrors, type Metadata } from './metadata-fields';

const metadataOf = (p: PublicationDetail): Metadata => ({
  kind: p.kind,
  title: p.title,
  summary: p.summary,
  tags: p.tags,
  language: p.language,
  tlp: p.tlp,
  recipients: (p.recipients ?? []).map((r) => r.organisationId),
  audience: p.audience.kind,
  segments: p.audience.segments,
  contactRoles: p.audience.contactRoles,
  reviewBy: p.reviewBy ?? '',
});

/** The CERT changes the details: marking with its recipients, audience, review-by date. */
export function EditDetailsModal({ publication, opened, onClose }: { publication: PublicationDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const patch = usePatchPublication(publication.id);
  const [meta, setMeta] = useState<Metadata>(() => metadataOf(publication));
  const [tried, setTried] = useState(false);
  const errors = metadataErrors(meta, t);
  const submit = () => {
    setTried(true);
    if (Object.keys(errors).length > 0) return;
    patch.mutate(
      {
        kind: meta.kind,
        title: meta.title.trim(),
        summary: meta.summary.trim(),
        tags: meta.tags,
        language: meta.language,
        marking: { tlp: meta.tlp, recipients: meta.recipients.map((organisationId) => ({ organisationId })) },
        audience: audienceOf(meta),
        reviewBy: meta.reviewBy || null,
      },
      { onSuccess: onClose },
    );
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('publications.detail.edit')} size="xl">
      <Stack gap="md">
        <MetadataFields value={meta} onChange={setMeta} errors={tried ? errors : {}} />
        <ErrorAlert error={patch.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={patch.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
