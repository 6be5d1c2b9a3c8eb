// A real SMTP server in its own process for tests: accepts every message and prints it
// to stdout as one JSON line ("MAIL {...}"). Started by test/support/smtp.ts.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      const headerText = raw.slice(0, split);
      let body = raw.slice(split + 4);
      const headers = {};
      for (const line of headerText.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
        body = Buffer.from(
          body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8');
      } else if (/base64/i.test(headers['content-transfer-encoding'] ?? '')) {
        body = Buffer.from(body, 'base64').toString('utf8');
      }
      const to = session.envelope.rcptTo.map((r) => r.address);
      process.stdout.write(`MAIL ${JSON.stringify({ to, subject: headers.subject ?? '', body })}\n`);
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
