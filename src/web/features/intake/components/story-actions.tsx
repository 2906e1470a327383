import { useState } from 'react';
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconBan, IconFilePlus, IconNews } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { isoWeek } from '#lib/iso-week.ts';
import { errorMessage } from '../../../components/error-alert';
import { RouterButton } from '../../../components/router-links';
import { TextDialog } from '../../advisories/components/text-dialog';
import type { Story } from '../api';
import { useAddToMedia, useDraftAdvisory, useNoAction, useReopen } from '../mutations';
import { DecisionState, useWeekLabel } from './story-badges';

/** The team's decision on a story and the buttons to make or take it back. */
export function StoryActions({ story, canDecide, canDraft }: { story: Story; canDecide: boolean; canDraft: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const weekLabel = useWeekLabel();
  const draft = useDraftAdvisory();
  const noAction = useNoAction();
  const reopen = useReopen();
  const media = useAddToMedia();
  const [asking, setAsking] = useState(false);
  const failed = (error: unknown) => notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) });
  const thisWeek = isoWeek();

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="story-decision-title" data-testid="story-actions">
      <Stack gap="xs">
        <Title order={2} size="h5" id="story-decision-title">
          {t('intake.story.decision')}
        </Title>
        <div data-testid="story-decision">
          <DecisionState story={story} />
        </div>
        {canDecide ? (
          <Group gap="xs" wrap="wrap">
            {story.decision === 'advisory' && story.advisoryId ? (
              <RouterButton to="/advisories/$id" params={{ id: story.advisoryId }} variant="light" leftSection={<IconFilePlus size={16} aria-hidden />}>
                {t('intake.actions.openAdvisory')}
              </RouterButton>
            ) : canDraft ? (
              <Button
                leftSection={<IconFilePlus size={16} aria-hidden />}
                loading={draft.isPending}
                onClick={() =>
                  draft.mutate(story.id, {
                    onSuccess: (result) => {
                      notifications.show({
                        color: result.csafFailures > 0 ? 'orange' : 'green',
                        message: result.csafFailures > 0 ? t('intake.done.draftWithFailures', { count: result.csafFailures }) : t('intake.done.draft'),
                      });
                      void navigate({ to: '/advisories/$id/edit', params: { id: result.advisoryId } });
                    },
                    onError: failed,
                  })
                }
                data-testid="make-draft"
              >
                {t('intake.actions.draftAdvisory')}
              </Button>
            ) : null}
            {story.decision === null ? (
              <Button variant="default" leftSection={<IconBan size={16} aria-hidden />} onClick={() => setAsking(true)} data-testid="no-action">
                {t('intake.actions.noAction')}
              </Button>
            ) : null}
            {story.decision !== null ? (
              <Button
                variant="default"
                leftSection={<IconArrowBackUp size={16} aria-hidden />}
                loading={reopen.isPending}
                onClick={() =>
                  reopen.mutate([story.id], {
                    onSuccess: () => notifications.show({ color: 'green', message: t('intake.done.reopened', { count: 1 }) }),
                    onError: failed,
                  })
                }
                data-testid="reopen"
              >
                {t('intake.actions.reopen')}
              </Button>
            ) : null}
            <Button
              variant="default"
              leftSection={<IconNews size={16} aria-hidden />}
              loading={media.isPending}
              disabled={story.mediaWeek === thisWeek}
              onClick={() =>
                media.mutate(story.id, {
                  onSuccess: (result) => notifications.show({ color: 'green', message: t('intake.done.media', { week: weekLabel(result.week) }) }),
                  onError: failed,
                })
              }
              data-testid="add-media"
            >
              {t('intake.actions.addMedia')}
            </Button>
          </Group>
        ) : null}
        {story.mediaWeek === thisWeek ? (
          <Text size="xs" c="dimmed">
            {t('intake.story.mediaThisWeek')}
          </Text>
        ) : null}
      </Stack>
      {asking ? (
        <TextDialog
          title={t('intake.noAction.titleOne', { title: story.title })}
          label={t('intake.noAction.reason')}
          description={t('intake.noAction.help')}
          minLength={1}
          confirmLabel={t('intake.actions.noAction')}
          pending={noAction.isPending}
          error={noAction.error}
          onConfirm={(reason) =>
            noAction.mutate(
              { ids: [story.id], reason },
              {
                onSuccess: () => {
                  notifications.show({ color: 'green', message: t('intake.done.noAction', { count: 1 }) });
                  setAsking(false);
                },
              },
            )
          }
          onClose={() => {
            noAction.reset();
            setAsking(false);
          }}
        />
      ) : null}
    </Paper>
  );
}
