import { z } from 'zod';

/** One mail as the outbox stores it: already rendered, so delivery needs nothing but SMTP. */
export const MailMessage = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  /** Stable across retries so a receiver can drop a duplicate. */
  messageId: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Optional text attachments (e.g. an iCalendar invitation), stored with the row like the body. */
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })).optional(),
});
export type MailMessage = z.infer<typeof MailMessage>;
