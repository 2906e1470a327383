import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Alert, Badge, Box, Button, Grid, Group, NativeSelect, Paper, SimpleGrid, Stack, Tabs, TagsInput, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDeviceFloppy, IconLanguage, IconTrash } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, TLP_WITH_RECIPIENTS, tlpLabel } from '#lib/tlp.ts';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { optionalEnum } from '../../../lib/search-params';
import {
  advisoriesApi,
  advisoryKeys,
  advisoryQuery,
  LEVELS,
  PRODUCT_KINDS,
  previewQuery,
  URGENCIES,
  type DraftConflict,
  type PreviewInput,
  type Product,
} from '../api';
import { useCurrentUser } from '../../auth/use-current-user';
import { WorkflowPanel } from '../components/workflow-panel';
import { draftConflictOf, fieldIssuesOf } from '../errors';
import {
  emptyText,
  forgetProductId,
  fromContent,
  newProduct,
  newVulnerability,
  removeAt,
  renameProductId,
  replaceAt,
  toContent,
  type EditorProduct,
  type EditorState,
  type EditorText,
  type EditorVulnerability,
} from './editor-model';
import { ReferencesEditor, SourcesEditor } from './links-editor';
import { PreviewPanel } from './preview-panel';
import { ProductsEditor } from './products-editor';
import { RecipientsSelect } from './recipients-select';
import { TextFields } from './text-fields';
import { VulnerabilitiesEditor } from './vulnerabilities-editor';

/** How long typing pauses before the preview is asked for again. */
const PREVIEW_DELAY_MS = 600;

interface AdvisoryEditorProps {
  /** The product being edited; null for a new one. */
  product: Product | null;
  initial: EditorState;
  /** The draft version the form was loaded from (null for a new product). */
  initialVersion: number | null;
}

function FormSection({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" mb="sm" id={id}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function ConflictAlert({
  conflict,
  pending,
  onReload,
  onOverwrite,
}: {
  conflict: DraftConflict;
  pending: boolean;
  onReload: () => void;
  onOverwrite: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Alert
      color="orange"
      variant="light"
      role="alert"
      icon={<IconAlertTriangle size={18} aria-hidden />}
      title={t('advisories.conflict.title')}
      mb="md"
      data-testid="draft-conflict"
    >
      <Text size="sm">
        {t('advisories.conflict.text', { name: conflict.savedBy ?? t('advisories.conflict.someone'), version: conflict.currentVersion })}
        {conflict.savedAt ? (
          <>
            {' '}
            (<DateTime value={conflict.savedAt} />)
          </>
        ) : null}
      </Text>
      <Text size="sm" mt={4}>
        {t('advisories.conflict.kept')}
      </Text>
      <Group gap="xs" mt="sm">
        <Button size="xs" variant="default" onClick={onReload} disabled={pending} data-testid="conflict-reload">
          {t('advisories.conflict.reload')}
        </Button>
        <Button size="xs" color="orange" onClick={onOverwrite} loading={pending} data-testid="conflict-overwrite">
          {t('advisories.conflict.overwrite')}
        </Button>
      </Group>
    </Alert>
  );
}

/** The advisory editor: the form on the left, the live preview on the right. */
export function AdvisoryEditor({ product, initial, initialVersion }: AdvisoryEditorProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const user = useCurrentUser();
  const [state, setState] = useState<EditorState>(initial);
  const [baseVersion, setBaseVersion] = useState<number | null>(initialVersion);
  const [conflict, setConflict] = useState<DraftConflict | null>(null);
  const [textTab, setTextTab] = useState<'nl' | 'en'>('nl');
  // What the server last stored, to tell whether there is anything to save.
  const [saved, setSaved] = useState(() => JSON.stringify([initial.tlp, initial.recipients, toContent(initial)]));
  const [attempted, setAttempted] = useState(false);
  // The form as it was when a save was refused: its field errors hold only until the next edit.
  const [refusedSnapshot, setRefusedSnapshot] = useState<string | null>(null);

  const content = useMemo(() => toContent(state), [state]);
  const snapshot = useMemo(() => JSON.stringify([state.tlp, state.recipients, content]), [state.tlp, state.recipients, content]);
  const dirty = snapshot !== saved;
  const touched = dirty || attempted;

  const previewInput = useMemo((): PreviewInput => ({ kind: state.kind, tlp: state.tlp, content }), [state.kind, state.tlp, content]);
  const [debouncedInput] = useDebouncedValue(previewInput, PREVIEW_DELAY_MS);
  const preview = useQuery({ ...previewQuery(debouncedInput), placeholderData: keepPreviousData });

  const save = useMutation({
    mutationFn: async (input: { base: number | null }) => {
      const body = { tlp: state.tlp, recipients: TLP_WITH_RECIPIENTS.includes(state.tlp) ? state.recipients : [], content };
      if (!product || input.base === null) {
        const created = await advisoriesApi.create({ kind: state.kind, ...body });
        return { id: created.id, version: 1, created: true };
      }
      const result = await advisoriesApi.saveDraft(product.id, { baseVersion: input.base, ...body });
      return { id: product.id, version: result.version, created: false };
    },
    onSuccess: async (result) => {
      setConflict(null);
      setSaved(snapshot);
      setBaseVersion(result.version);
      notifications.show({ color: 'green', message: t('advisories.editor.saved', { version: result.version }) });
      await queryClient.invalidateQueries({ queryKey: advisoryKeys.all });
      if (result.created) void navigate({ to: '/advisories/$id/edit', params: { id: result.id }, replace: true });
    },
    onError: (error) => {
      setRefusedSnapshot(snapshot);
      // Someone else saved in between: the text in the form stays exactly as it is.
      const found = draftConflictOf(error);
      if (found) setConflict(found);
    },
  });

  const reloadTheirs = async () => {
    if (!product) return;
    const fresh = await queryClient.fetchQuery({ ...advisoryQuery(product.id), staleTime: 0 });
    if (!fresh.draft) return;
    const next = fromContent(fresh.kind, fresh.draft.tlp, fresh.draft.recipients, fresh.draft.content);
    setState(next);
    setSaved(JSON.stringify([next.tlp, next.recipients, toContent(next)]));
    setBaseVersion(fresh.draft.version);
    setConflict(null);
    save.reset();
    notifications.show({ color: 'blue', message: t('advisories.conflict.reloaded', { version: fresh.draft.version }) });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    setAttempted(true);
    save.mutate({ base: baseVersion });
  };

  // Ctrl+S / ⌘S saves, as in any editor, instead of saving the web page.
  const formRef = useRef<HTMLFormElement>(null);
  const formId = useId();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        formRef.current?.requestSubmit();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  // Field errors: the preview's (current) first, then those of a refused save.
  const issues = useMemo(() => {
    const map = new Map<string, string>();
    if (refusedSnapshot === snapshot) for (const issue of fieldIssuesOf(save.error)) if (!map.has(issue.field)) map.set(issue.field, issue.message);
    for (const issue of preview.data?.issues ?? []) map.set(issue.field, issue.message);
    return map;
  }, [preview.data, save.error, refusedSnapshot, snapshot]);
  const issue = (path: string) => (touched ? issues.get(path) : undefined);

  const set = (patch: Partial<EditorState>) => setState((current) => ({ ...current, ...patch }));
  const setText = (lang: 'nl' | 'en', patch: Partial<EditorText>) =>
    setState((current) => (lang === 'nl' ? { ...current, nl: { ...current.nl, ...patch } } : { ...current, en: { ...(current.en ?? emptyText()), ...patch } }));

  const changeProduct = (index: number, patch: Partial<EditorProduct>) =>
    setState((current) => {
      const before = current.products[index];
      if (!before) return current;
      const after = { ...before, ...patch };
      const vulnerabilities = patch.id !== undefined ? renameProductId(current, before.id, after.id) : current.vulnerabilities;
      return { ...current, products: replaceAt(current.products, index, after), vulnerabilities };
    });
  const removeProduct = (index: number) =>
    setState((current) => {
      const removed = current.products[index];
      if (!removed) return current;
      return { ...current, products: removeAt(current.products, index), vulnerabilities: forgetProductId(current, removed.id) };
    });
  const changeVulnerability = (index: number, patch: Partial<EditorVulnerability>) =>
    setState((current) => {
      const before = current.vulnerabilities[index];
      return before ? { ...current, vulnerabilities: replaceAt(current.vulnerabilities, index, { ...before, ...patch }) } : current;
    });

  const withRecipients = TLP_WITH_RECIPIENTS.includes(state.tlp);
  const vulnerabilitiesAllowed = state.kind === 'advisory';
  const title = product ? t('advisories.editor.editTitle', { title: state.nl.title || product.identifier || '' }) : t('advisories.editor.newTitle');

  return (
    <>
      <PageHeader
        title={title}
        description={
          <Group gap="xs" component="span">
            {product?.identifier ? <span>{product.identifier}</span> : null}
            {baseVersion !== null ? <span>{t('advisories.workflow.version', { version: baseVersion })}</span> : null}
            {dirty ? (
              <Badge color="orange" variant="light" size="sm" component="span" data-testid="unsaved">
                {t('advisories.editor.unsaved')}
              </Badge>
            ) : null}
          </Group>
        }
        actions={
          <>
            {product ? (
              <RouterButton to="/advisories/$id" params={{ id: product.id }} variant="default">
                {t('advisories.editor.toDetail')}
              </RouterButton>
            ) : (
              <RouterButton to="/advisories" variant="default">
                {t('common.cancel')}
              </RouterButton>
            )}
            <Button type="submit" form={formId} leftSection={<IconDeviceFloppy size={16} aria-hidden />} loading={save.isPending} data-testid="save-draft">
              {t('common.save')}
            </Button>
          </>
        }
      />
      {product?.draft ? <WorkflowPanel product={product} draft={product.draft} user={user} unsavedChanges={dirty} /> : null}
      {/* Outside the form: the panel's own dialogs must not submit the editor. */}
      <form id={formId} ref={formRef} onSubmit={submit} noValidate aria-label={title}>
        {conflict ? (
          <ConflictAlert
            conflict={conflict}
            pending={save.isPending}
            onReload={() => void reloadTheirs()}
            onOverwrite={() => save.mutate({ base: conflict.currentVersion })}
          />
        ) : (
          <Box mb="md">
            <ErrorAlert error={save.error} />
          </Box>
        )}
        <Grid gutter="md">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack gap="md">
              <FormSection title={t('advisories.editor.general')} id="editor-general">
                <Stack gap="sm">
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                    <NativeSelect
                      label={t('advisories.fields.kind')}
                      description={product ? t('advisories.editor.kindFixed') : undefined}
                      name="kind"
                      value={state.kind}
                      disabled={product !== null}
                      onChange={(event) => set({ kind: optionalEnum(event.currentTarget.value, PRODUCT_KINDS) ?? state.kind })}
                      data={PRODUCT_KINDS.map((kind) => ({ value: kind, label: t(`advisories.kind.${kind}`) }))}
                    />
                    <NativeSelect
                      label={t('advisories.fields.tlp')}
                      name="tlp"
                      value={state.tlp}
                      onChange={(event) => set({ tlp: optionalEnum(event.currentTarget.value, TLP_LEVELS) ?? state.tlp })}
                      data={TLP_LEVELS.map((tlp) => ({ value: tlp, label: tlpLabel(tlp) }))}
                    />
                  </SimpleGrid>
                  {withRecipients ? (
                    <RecipientsSelect
                      value={state.recipients}
                      onChange={(recipients) => set({ recipients })}
                      required={state.tlp === 'RED'}
                      error={
                        touched
                          ? (issues.get('recipients') ??
                            (state.tlp === 'RED' && state.recipients.length === 0 ? t('advisories.editor.recipientsMissing') : undefined))
                          : undefined
                      }
                    />
                  ) : null}
                  <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                    <NativeSelect
                      label={t('advisories.fields.urgency')}
                      name="urgency"
                      value={state.urgency}
                      onChange={(event) => set({ urgency: optionalEnum(event.currentTarget.value, URGENCIES) ?? state.urgency })}
                      data={URGENCIES.map((urgency) => ({ value: urgency, label: t(`advisories.urgency.${urgency}`) }))}
                    />
                    <NativeSelect
                      label={t('advisories.fields.probability')}
                      name="probability"
                      value={state.probability}
                      onChange={(event) => set({ probability: optionalEnum(event.currentTarget.value, LEVELS) ?? state.probability })}
                      data={LEVELS.map((level) => ({ value: level, label: t(`advisories.level.${level}`) }))}
                    />
                    <NativeSelect
                      label={t('advisories.fields.impact')}
                      name="impact"
                      value={state.impact}
                      onChange={(event) => set({ impact: optionalEnum(event.currentTarget.value, LEVELS) ?? state.impact })}
                      data={LEVELS.map((level) => ({ value: level, label: t(`advisories.level.${level}`) }))}
                    />
                  </SimpleGrid>
                  <TagsInput
                    label={t('advisories.fields.tags')}
                    description={t('advisories.editor.tagsHelp')}
                    name="tags"
                    value={state.tags}
                    onChange={(tags) => set({ tags })}
                    maxTags={50}
                    clearable
                  />
                </Stack>
              </FormSection>

              <FormSection title={t('advisories.editor.text')} id="editor-text">
                <Tabs value={textTab} onChange={(next) => setTextTab(next === 'en' ? 'en' : 'nl')} keepMounted={false}>
                  <Tabs.List mb="sm">
                    <Tabs.Tab value="nl" data-testid="tab-nl">
                      {t('advisories.editor.dutch')}
                    </Tabs.Tab>
                    <Tabs.Tab value="en" data-testid="tab-en">
                      {t('advisories.editor.english')}
                      {state.en ? null : ` (${t('common.optional')})`}
                    </Tabs.Tab>
                  </Tabs.List>
                  <Tabs.Panel value="nl">
                    <TextFields lang="nl" value={state.nl} onChange={(patch) => setText('nl', patch)} issue={issue} />
                  </Tabs.Panel>
                  <Tabs.Panel value="en">
                    {state.en ? (
                      <Stack gap="sm">
                        <TextFields lang="en" value={state.en} onChange={(patch) => setText('en', patch)} issue={issue} />
                        <Group justify="flex-end">
                          <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => set({ en: null })}>
                            {t('advisories.editor.removeEnglish')}
                          </Button>
                        </Group>
                      </Stack>
                    ) : (
                      <Stack gap="xs" align="flex-start">
                        <Text size="sm" c="dimmed">
                          {t('advisories.editor.noEnglish')}
                        </Text>
                        <Button
                          size="xs"
                          variant="default"
                          leftSection={<IconLanguage size={14} aria-hidden />}
                          onClick={() => set({ en: emptyText() })}
                          data-testid="add-english"
                        >
                          {t('advisories.editor.addEnglish')}
                        </Button>
                      </Stack>
                    )}
                  </Tabs.Panel>
                </Tabs>
              </FormSection>

              <FormSection title={t('advisories.sections.products')} id="editor-products">
                <ProductsEditor
                  products={state.products}
                  onAdd={() => set({ products: [...state.products, newProduct(state.products)] })}
                  onChange={changeProduct}
                  onRemove={removeProduct}
                  issue={issue}
                />
              </FormSection>

              <FormSection title={t('advisories.sections.vulnerabilities')} id="editor-vulnerabilities">
                {vulnerabilitiesAllowed ? (
                  <VulnerabilitiesEditor
                    vulnerabilities={state.vulnerabilities}
                    products={state.products}
                    onAdd={() => set({ vulnerabilities: [...state.vulnerabilities, newVulnerability()] })}
                    onChange={changeVulnerability}
                    onRemove={(index) => set({ vulnerabilities: removeAt(state.vulnerabilities, index) })}
                    issue={issue}
                  />
                ) : (
                  <Stack gap="xs" align="flex-start">
                    <Text size="sm" c="dimmed">
                      {t('advisories.editor.vulnerabilitiesAdvisoryOnly')}
                    </Text>
                    {state.vulnerabilities.length > 0 ? (
                      <Alert color="orange" variant="light" role="alert">
                        {t('advisories.editor.vulnerabilitiesWillFail', { count: state.vulnerabilities.length })}{' '}
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => set({ vulnerabilities: [] })}>
                          {t('advisories.editor.removeVulnerabilities')}
                        </Button>
                      </Alert>
                    ) : null}
                  </Stack>
                )}
              </FormSection>

              <FormSection title={t('advisories.sections.references')} id="editor-references">
                <ReferencesEditor value={state.references} onChange={(references) => set({ references })} issue={issue} />
              </FormSection>

              <FormSection title={t('advisories.sections.sources')} id="editor-sources">
                <SourcesEditor value={state.sources} onChange={(sources) => set({ sources })} issue={issue} />
              </FormSection>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Box style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 52px) + 8px)' }}>
              <PreviewPanel
                data={preview.data}
                fetching={preview.isFetching}
                error={preview.error}
                titles={{ nl: state.nl.title, en: state.en?.title ?? null }}
              />
            </Box>
          </Grid.Col>
        </Grid>
      </form>
    </>
  );
}
