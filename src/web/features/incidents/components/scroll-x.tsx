import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on a narrow screen. The region can take focus, so someone on a
 * keyboard can scroll it too; its name is the table's.
 */
export function ScrollX({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ overflowX: 'auto' }} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
