import { useState, type ReactNode } from 'react';
import { Button, Group, Popover, Stack, Text, type ButtonProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface ConfirmButtonProps extends Omit<ButtonProps, 'onClick' | 'children'> {
  children: ReactNode;
  /** Question shown before the action runs. */
  message: string;
  confirmLabel?: string;
  onConfirm: () => void;
}

// A popover instead of window.confirm: native dialogs are unstyled, untranslatable and are
// auto-dismissed by browser automation.
export function ConfirmButton({
  children,
  message,
  confirmLabel,
  onConfirm,
  ...buttonProps
}: ConfirmButtonProps) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withArrow trapFocus shadow="md">
      <Popover.Target>
        <Button {...buttonProps} onClick={() => setOpened((o) => !o)}>
          {children}
        </Button>
      </Popover.Target>
      <Popover.Dropdown role="dialog" aria-label={message}>
        <Stack gap="xs" maw={280}>
          <Text size="sm">{message}</Text>
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setOpened(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              size="xs"
              // red.9 on white text: Mantine's default red (red.6) falls short of WCAG AA contrast.
              color="red.9"
              onClick={() => {
                setOpened(false);
                onConfirm();
              }}
            >
              {confirmLabel ?? t('common.confirm')}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
