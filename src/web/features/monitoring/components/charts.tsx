import { useId } from 'react';
import { Box, Group, Stack, Text } from '@mantine/core';

// Small hand-drawn SVG charts: the monitoring pages need a line and a few bars, not a chart library.

const W = 600;
const H = 170;
const PAD = { left: 36, right: 12, top: 10, bottom: 22 };

/** A rounded-up axis maximum (1, 2, 5, 10, 20, 50, …) so the top grid line has a readable number. */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** One line of an AreaChart: a value per day, in a Mantine colour; dashed so it does not rely on colour alone. */
export interface ChartSeries {
  key: string;
  label: string;
  values: readonly number[];
  color: string;
  dashed?: boolean;
}

interface AreaChartProps {
  /** Drawn in this order (the first underneath), all over the same days. */
  series: readonly ChartSeries[];
  /** The chart's accessible name: a sentence with what a reader should take from it. */
  description: string;
  firstLabel: string;
  lastLabel: string;
  testId?: string;
}

/** Lines over shaded areas, with the first and last day under them and 0, half and the top beside them. */
export function AreaChart({ series, description, firstLabel, lastLabel, testId }: AreaChartProps) {
  const titleId = useId();
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const count = Math.max(0, ...series.map((s) => s.values.length));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (count <= 1 ? innerW : (i / (count - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const ticks = max >= 2 ? [0, max / 2, max] : [0, max];

  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={titleId} data-testid={testId} style={{ display: 'block', maxHeight: 220 }}>
      <title id={titleId}>{description}</title>
      {ticks.map((tick) => (
        <g key={tick}>
          <line
            x1={PAD.left}
            x2={W - PAD.right}
            y1={y(tick)}
            y2={y(tick)}
            stroke="var(--mantine-color-gray-3)"
            strokeDasharray={tick === 0 ? undefined : '3 3'}
          />
          <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" fontSize={11} fill="var(--mantine-color-gray-7)">
            {Number.isInteger(tick) ? tick : tick.toFixed(1)}
          </text>
        </g>
      ))}
      {series.map((s) => {
        const line = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
        const area = s.values.length > 0 ? `${line} L${x(s.values.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z` : '';
        const last = s.values[s.values.length - 1];
        return (
          <g key={s.key} data-series={s.key}>
            <path d={area} fill={`var(--mantine-color-${s.color}-6)`} fillOpacity={0.15} />
            <path
              d={line}
              fill="none"
              stroke={`var(--mantine-color-${s.color}-8)`}
              strokeWidth={2}
              strokeLinejoin="round"
              strokeDasharray={s.dashed ? '6 4' : undefined}
            />
            {last !== undefined ? <circle cx={x(s.values.length - 1)} cy={y(last)} r={3.5} fill={`var(--mantine-color-${s.color}-8)`} /> : null}
          </g>
        );
      })}
      <text x={PAD.left} y={H - 6} fontSize={11} fill="var(--mantine-color-gray-7)">
        {firstLabel}
      </text>
      <text x={W - PAD.right} y={H - 6} textAnchor="end" fontSize={11} fill="var(--mantine-color-gray-7)">
        {lastLabel}
      </text>
    </svg>
  );
}

/** The key to an AreaChart's lines: each line's stroke beside its name (and its latest value, as text). */
export function ChartLegend({ series, label, testId }: { series: readonly (ChartSeries & { latest: number })[]; label: string; testId?: string }) {
  return (
    <Group gap="md" component="ul" aria-label={label} p={0} m={0} mt={4} style={{ listStyle: 'none' }} data-testid={testId}>
      {series.map((s) => (
        <Group key={s.key} gap={6} component="li" wrap="nowrap" data-testid={`${testId ?? 'legend'}-${s.key}`}>
          <svg width={22} height={10} aria-hidden style={{ flex: 'none' }}>
            <line x1={1} x2={21} y1={5} y2={5} stroke={`var(--mantine-color-${s.color}-8)`} strokeWidth={2} strokeDasharray={s.dashed ? '6 4' : undefined} />
          </svg>
          <Text size="xs">
            {s.label}: <strong>{s.latest}</strong>
          </Text>
        </Group>
      ))}
    </Group>
  );
}

interface BarListProps {
  items: readonly { key: string; label: string; value: number; color: string }[];
  label: string;
  testId?: string;
}

/** Horizontal bars with their label and number as text: the bars only show the proportions. */
export function BarList({ items, label, testId }: BarListProps) {
  const max = Math.max(1, ...items.map((item) => item.value));
  return (
    <Stack gap={6} component="ul" aria-label={label} p={0} m={0} style={{ listStyle: 'none' }} data-testid={testId}>
      {items.map((item) => (
        <li key={item.key} data-key={item.key}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm">{item.label}</Text>
            <Text size="sm" fw={600} data-testid={`${testId ?? 'bar'}-${item.key}`}>
              {item.value}
            </Text>
          </Group>
          <Box h={6} bg="var(--mantine-color-gray-2)" style={{ borderRadius: 3 }} aria-hidden>
            <Box
              h={6}
              w={`${(item.value / max) * 100}%`}
              bg={`var(--mantine-color-${item.color}-6)`}
              style={{ borderRadius: 3, minWidth: item.value > 0 ? 3 : 0 }}
            />
          </Box>
        </li>
      ))}
    </Stack>
  );
}
