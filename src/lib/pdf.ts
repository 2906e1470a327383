import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { AppError } from '#server/errors.ts';

/**
 * HTML to PDF with the system's Chromium (Debian package `chromium`), so a PDF is printed from
 * exactly the HTML the web shows. One browser per process, started on first use; each page is
 * offline (every request is refused) and runs no scripts.
 */

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));

let browser: Promise<Browser> | null = null;

export function chromiumAvailable(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

async function getBrowser(): Promise<Browser> {
  const executablePath = chromiumAvailable();
  if (!executablePath) throw new AppError('unavailable', 'pdf_unavailable', 'PDF export needs Chromium on the server (apt-get install -y chromium, or set CHROMIUM_PATH).');
  browser ??= chromium
    .launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    })
    .catch((err: unknown) => {
      browser = null;
      throw new AppError('unavailable', 'pdf_unavailable', `Chromium could not start: ${err instanceof Error ? err.message : String(err)}`);
    });
  return browser;
}

export interface PdfOptions {
  /** Small HTML printed at the top and bottom of every page (Chromium's header/footer templates). */
  headerHtml: string;
  footerHtml: string;
}

export async function htmlToPdf(html: string, opts: PdfOptions): Promise<Buffer> {
  const b = await getBrowser();
  const context = await b.newContext({ javaScriptEnabled: false, offline: true });
  try {
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: opts.headerHtml,
      footerTemplate: opts.footerHtml,
      margin: { top: '22mm', bottom: '22mm', left: '15mm', right: '15mm' },
      // Accessible PDF: a structure tree with the page's language, and the headings as the outline.
      tagged: true,
      outline: true,
    });
  } finally {
    await context.close();
  }
}

export async function closePdfBrowser(): Promise<void> {
  const b = browser;
  browser = null;
  if (b) await (await b).close().catch(() => undefined);
}
