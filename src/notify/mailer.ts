import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  readonly kind: 'console' | 'smtp';
  send(message: MailMessage): Promise<void>;
}

/** Development delivery: prints the mail to stdout (not the log, which must not hold tokens). */
export class ConsoleMailer implements Mailer {
  readonly kind = 'console';
  constructor(private readonly from: string, private readonly out: (line: string) => void = (l) => process.stdout.write(l)) {}

  async send(message: MailMessage): Promise<void> {
    this.out(`\n----- mail (console delivery) -----\nFrom: ${this.from}\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n-----------------------------------\n`);
  }
}

export class SmtpMailer implements Mailer {
  readonly kind = 'smtp';
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }
}

export function createMailer(smtpUrl: string | undefined, from: string, _logger?: Logger): Mailer {
  return smtpUrl ? new SmtpMailer(smtpUrl, from) : new ConsoleMailer(from);
}

export const SEND_MAIL_JOB = 'mail.send';
