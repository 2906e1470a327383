// A real SMTP server (smtp-server) in a process of its own, for tests that kill other processes
// around it: it prints "PORT <n>" once listening and "MSG <Message-ID> <recipient>" for every mail it
// accepted (after its 250 reply was sent), so the parent can count deliveries and duplicates.
// Plain JavaScript: it runs under node without a TypeScript loader.
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { SMTPServer } from 'smtp-server';

const delayMs = Number(process.env.SINK_DELAY_MS ?? 0);
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    let head = '';
    stream.on('data', (chunk) => {
      if (head.length < 16384) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '(none)';
      const rcpt = session.envelope.rcptTo.map((a) => a.address).join(',');
      setTimeout(() => {
        callback();
        process.stdout.write(`MSG ${id} ${rcpt}\n`);
      }, delayMs);
    });
  },
});
// A client killed mid-conversation resets its connection: that is the point of the test, not an error.
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${server.server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
