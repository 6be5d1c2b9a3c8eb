import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface ReceivedMail {
  to: string[];
  subject: string;
  body: string;
}

/** Runs test/support/smtp-sink.mjs, a real SMTP server process, and collects what it receives. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly child: ChildProcess, readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SmtpSink> {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'smtp-sink.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout! });
    let sink: SmtpSink | undefined;
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`SMTP sink exited with ${code}`)));
      lines.on('line', (line) => {
        if (line.startsWith('LISTENING ')) resolve(Number(line.slice(10)));
        else if (line.startsWith('MAIL ') && sink) {
          sink.messages.push(JSON.parse(line.slice(5)) as ReceivedMail);
          for (const w of sink.waiters.splice(0)) w();
        }
      });
    });
    sink = new SmtpSink(child, port);
    return sink;
  }

  /** Waits (bounded) for a message to the address that matches. */
  async waitFor(to: string, predicate: (m: ReceivedMail) => boolean = () => true, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => m.to.includes(to) && predicate(m));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No mail to ${to} within ${timeoutMs} ms (got ${this.messages.length} other messages)`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
