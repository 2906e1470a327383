import { Badge } from '@mantine/core';
import { TLP_COLOURS, tlpLabel, type Tlp } from '#lib/tlp.ts';

// FIRST TLP 2.0: the label is always written out, in its colour on black.
export function TlpBadge({ tlp }: { tlp: Tlp }) {
  return (
    <Badge size="sm" radius="xs" variant="filled" component="span" styles={{ root: { backgroundColor: '#000', color: TLP_COLOURS[tlp], border: 0 } }}>
      {tlpLabel(tlp)}
    </Badge>
  );
}
