import { useEffect, useState, type ReactNode } from 'react';
import { TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';

export interface FilterTextProps {
  label: string;
  name: string;
  value: string | undefined;
  onCommit: (next: string | undefined) => void;
  placeholder?: string;
  leftSection?: ReactNode;
  /** Returns an error message for text the API would refuse; such text is not applied. */
  validate?: (text: string) => string | null;
  pageSearch?: boolean;
  maxLength?: number;
  w?: number;
}

/** A text filter that updates the URL after a pause in typing (or on Enter), not per keystroke. */
export function FilterText({ label, name, value, onCommit, placeholder, leftSection, validate, pageSearch = false, maxLength, w = 200 }: FilterTextProps) {
  const [text, setText] = useState(value ?? '');
  const error = text.trim() !== '' && validate ? validate(text.trim()) : null;

  const commit = useDebouncedCallback((next: string) => {
    const trimmed = next.trim();
    if (trimmed !== '' && validate?.(trimmed)) return;
    const normalised = trimmed || undefined;
    if (normalised !== value) onCommit(normalised);
  }, 300);

  // Back/forward navigation changes the URL underneath us: mirror it into the input.
  useEffect(() => {
    setText(value ?? '');
  }, [value]);

  return (
    <TextInput
      label={label}
      name={name}
      placeholder={placeholder}
      leftSection={leftSection}
      value={text}
      maxLength={maxLength}
      error={error}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit.flush();
      }}
      w={w}
      data-page-search={pageSearch || undefined}
    />
  );
}
