import { describe, expect, it } from 'vitest';
import { sniffMediaType } from '../../src/modules/community/community-attachment.service.ts';
import { mentionedEmails } from '../../src/modules/community/community-notify.service.ts';

describe('attachment types come from the bytes', () => {
  it('recognises the kinds we take', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffMediaType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe('application/zip');
    expect(sniffMediaType(Buffer.from('Gewone tekst met één accent.\n'))).toBe('text/plain');
  });

  it('refuses markup, executables and binary noise whatever the name', () => {
    expect(sniffMediaType(Buffer.from('<!DOCTYPE html><script>x</script>'))).toBeNull();
    expect(sniffMediaType(Buffer.from('  <svg onload="x">'))).toBeNull();
    expect(sniffMediaType(Buffer.from([0x4d, 0x5a, 0x90, 0x00]))).toBeNull();
    expect(sniffMediaType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02]))).toBeNull();
    expect(sniffMediaType(Buffer.from([0xc3, 0x28, 0x41, 0x41, 0x41, 0x41]))).toBeNull();
  });
});

describe('mentions', () => {
  it('finds e-mail addresses after an @, once each, in lower case', () => {
    expect(mentionedEmails('Hoi @Eva@UMC-Zuid.example en (@it@noord.example), nogmaals @eva@umc-zuid.example. Geen mail: a@b.example')).toEqual([
      'eva@umc-zuid.example',
      'it@noord.example',
    ]);
  });
});
