/** Escapes LIKE's wildcards (and the escape character) so user text matches literally; use with ESCAPE '\'. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
