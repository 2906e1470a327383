import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Mantine's default shades (6) fail WCAG AA contrast for white text and for "light" badges.
// Shade 9 for blue/red passes; the remaining status colours get darker text tokens below.
// Built per language because icon-only close buttons need a translated accessible name.
export function createAppTheme(closeLabel: string) {
  const close = { 'aria-label': closeLabel, title: closeLabel };
  return createTheme({
    primaryColor: 'blue',
    primaryShade: { light: 9, dark: 8 },
    autoContrast: true,
    // 0.179 is where black and white text have equal contrast, so autoContrast picks the better one.
    luminanceThreshold: 0.179,
    defaultRadius: 'sm',
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
    fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    components: {
      Table: { defaultProps: { verticalSpacing: 4, horizontalSpacing: 'xs', fz: 'sm' } },
      // Status badges in narrow table cells must not be cut off with an ellipsis.
      Badge: {
        styles: {
          root: { maxWidth: 'none', flexShrink: 0, overflow: 'visible' },
          label: { overflow: 'visible' },
        },
      },
      Modal: { defaultProps: { closeButtonProps: close } },
      Drawer: { defaultProps: { closeButtonProps: close } },
      Notification: { defaultProps: { closeButtonProps: close } },
      Alert: { defaultProps: { closeButtonLabel: closeLabel } },
      FileInput: { defaultProps: { clearButtonProps: close } },
      Select: { defaultProps: { clearButtonProps: close } },
    },
  });
}

const DARK_TEXT: Record<string, string> = {
  red: '#a61e1e',
  blue: '#14558f',
  green: '#1b6330',
  teal: '#0b5e52',
  orange: '#9a3a00',
  yellow: '#6b4f00',
  cyan: '#0a5a6a',
  lime: '#3d5c00',
};

export const cssVariablesResolver: CSSVariablesResolver = () => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Mantine's gray-6 placeholder is 3.3:1 on white; this grey reaches 4.7:1.
    '--mantine-color-placeholder': '#6c757d',
    // Field errors: Mantine's red-6 is 3.3:1 on white; red-9 passes AA.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  };
  for (const [color, value] of Object.entries(DARK_TEXT)) {
    light[`--mantine-color-${color}-light-color`] = value;
    light[`--mantine-color-${color}-text`] = value;
    light[`--mantine-color-${color}-outline`] = value;
  }
  return { variables: {}, light, dark: {} };
};
