/**
 * What an uploaded material really is, from its first bytes (never from the name or the browser's
 * claim). Slides and minutes come as PDF, office documents (ZIP containers: pptx, docx, xlsx, odp,
 * odt), images, or plain text; anything else is refused.
 */
const OFFICE: Record<string, string> = {
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
};

const startsWith = (b: Buffer, sig: number[]) => sig.every((x, i) => b[i] === x);

export function sniffMaterialType(content: Buffer, fileName: string): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (startsWith(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(content, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(content, [0x50, 0x4b, 0x03, 0x04])) return OFFICE[ext] ?? null;
  if ((ext === 'txt' || ext === 'md') && !content.includes(0)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(content);
      return ext === 'md' ? 'text/markdown; charset=utf-8' : 'text/plain; charset=utf-8';
    } catch {
      return null;
    }
  }
  return null;
}
