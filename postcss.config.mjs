// Mantine's PostCSS preset (rem(), light-dark(), breakpoint mixins); found by Vite automatically.
// ESM (.mjs) so the repository's ESLint project service covers it like the other scripts.
import presetMantine from 'postcss-preset-mantine';

export default {
  plugins: [presetMantine()],
};
