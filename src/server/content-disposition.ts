/**
 * `Content-Disposition: attachment` for a user-given file name (RFC 6266, RFC 5987): an ASCII
 * fallback and the exact UTF-8 name. Files people upload are never shown inline.
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const utf8 = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
