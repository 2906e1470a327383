import { Code } from '@mantine/core';

/** Pretty-printed JSON; focusable because it scrolls and must be reachable by keyboard. */
export function JsonBlock({ value }: { value: unknown }) {
  return (
    <Code block fz="xs" tabIndex={0} style={{ maxHeight: 420, overflow: 'auto' }}>
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}
