import { Modal, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CustomFieldDefinitions } from './custom-field-definitions';
import { PlaybooksPanel } from './playbooks-panel';

export type CertSetting = 'fields' | 'playbooks';

/** The CERT's set-up of case work: custom fields of cases and playbooks, one tab each. */
export function CertSettingsModal({ shown, onShow, onClose }: { shown: CertSetting | null; onShow: (setting: CertSetting) => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={shown !== null} onClose={onClose} title={t('incidents.settings.title')} size="xl">
      <Tabs
        value={shown ?? 'fields'}
        keepMounted={false}
        onChange={(value) => {
          if (value === 'fields' || value === 'playbooks') onShow(value);
        }}
      >
        <Tabs.List mb="sm">
          <Tabs.Tab value="fields">{t('incidents.fieldDefs.title')}</Tabs.Tab>
          <Tabs.Tab value="playbooks">{t('incidents.playbooks.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="fields">
          <CustomFieldDefinitions />
        </Tabs.Panel>
        <Tabs.Panel value="playbooks">
          <PlaybooksPanel />
        </Tabs.Panel>
      </Tabs>
    </Modal>
  );
}
