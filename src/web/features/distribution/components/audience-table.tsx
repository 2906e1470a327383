import { Fragment, useState } from 'react';
import { ActionIcon, Badge, Box, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Audience, AudienceContact } from '../api';

function ContactStatus({ contact }: { contact: AudienceContact }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {contact.held ? (
        <Tooltip label={contact.held} multiline maw={320}>
          <Badge color="orange" variant="light" size="sm" component="span" tabIndex={0}>
            {t('distribution.audience.heldBack')}
          </Badge>
        </Tooltip>
      ) : null}
      {contact.failing ? (
        <Badge color="red" variant="light" size="sm" component="span">
          {t('contact.emailFailing')}
        </Badge>
      ) : null}
      {!contact.held && !contact.failing ? (
        <Text size="xs" c="dimmed" span>
          {t('distribution.audience.goesOut')}
        </Text>
      ) : null}
    </Group>
  );
}

function ContactsOf({ contacts }: { contacts: AudienceContact[] }) {
  const { t } = useTranslation();
  return (
    <Table withRowBorders={false} verticalSpacing={2} fz="xs">
      <caption className="visually-hidden">{t('distribution.audience.contactsCaption')}</caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('contact.fields.name')}</Table.Th>
          <Table.Th scope="col">{t('contact.fields.email')}</Table.Th>
          <Table.Th scope="col">{t('contact.fields.languages')}</Table.Th>
          <Table.Th scope="col">{t('distribution.audience.encrypted')}</Table.Th>
          <Table.Th scope="col">{t('distribution.audience.status')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {contacts.map((contact) => (
          <Table.Tr key={contact.contactId}>
            <Table.Td>{contact.name}</Table.Td>
            <Table.Td>{contact.email}</Table.Td>
            <Table.Td>{contact.languages.map((lang) => lang.toUpperCase()).join(', ')}</Table.Td>
            <Table.Td>
              {contact.encrypted ? (
                <Group gap={2} wrap="nowrap">
                  <IconLock size={12} aria-hidden />
                  {t('common.yes')}
                </Group>
              ) : (
                t('common.no')
              )}
            </Table.Td>
            <Table.Td>
              <ContactStatus contact={contact} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The audience per organisation; each row opens to the contacts that organisation would get mail at. */
export function AudienceTable({ audience }: { audience: Audience }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  if (audience.organisations.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('distribution.audience.nobody')}
      </Text>
    );
  }
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table striped data-testid="audience-table">
        <caption className="visually-hidden">{t('distribution.audience.perOrganisation')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('distribution.audience.organisation')}</Table.Th>
            <Table.Th scope="col">{t('distribution.audience.contacts')}</Table.Th>
            <Table.Th scope="col">{t('distribution.audience.encrypted')}</Table.Th>
            <Table.Th scope="col">{t('distribution.audience.held')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {audience.organisations.map((organisation) => {
            const expanded = open.has(organisation.organisationId);
            const detailsId = `audience-${organisation.organisationId}`;
            return (
              <Fragment key={organisation.organisationId}>
                <Table.Tr>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        onClick={() => toggle(organisation.organisationId)}
                        aria-expanded={expanded}
                        aria-controls={expanded ? detailsId : undefined}
                        aria-label={t('distribution.audience.showContacts', { name: organisation.organisationName })}
                      >
                        {expanded ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
                      </ActionIcon>
                      {organisation.organisationName}
                    </Group>
                  </Table.Td>
                  <Table.Td>{organisation.contacts}</Table.Td>
                  <Table.Td>{organisation.encrypted}</Table.Td>
                  <Table.Td>{organisation.held > 0 ? <Text c="orange.9" fw={600} size="sm" span>{organisation.held}</Text> : 0}</Table.Td>
                </Table.Tr>
                {expanded ? (
                  <Table.Tr id={detailsId}>
                    <Table.Td colSpan={4} pl="xl">
                      <ContactsOf contacts={audience.contacts.filter((c) => c.organisationId === organisation.organisationId)} />
                    </Table.Td>
                  </Table.Tr>
                ) : null}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
