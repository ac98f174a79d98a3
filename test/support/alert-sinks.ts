import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verifyWebhook } from '../../src/connectors/aequivalent-screening/aequivalent/webhook-signature';
import { ALERT_SIGNATURE_HEADER } from '../../src/notifications/webhook-alert-sender';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
}

/** A real SMTP server on a free local port (no TLS: `requireTls: false` in the tenant config). */
export async function startLocalSmtpServer(): Promise<{ port: number; mails: ReceivedMail[]; stop(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            messageId: parsed.messageId ?? '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedWebhook {
  body: Record<string, unknown>;
  raw: string;
  signatureValid: boolean;
}

/** A local webhook receiver that checks the HMAC signature of every delivery with the secret. */
export async function startWebhookSink(secret: string): Promise<{ url: string; received: ReceivedWebhook[]; stop(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verdict = verifyWebhook(secret, req.headers[ALERT_SIGNATURE_HEADER], raw, Math.floor(Date.now() / 1000));
      received.push({ body: JSON.parse(raw) as Record<string, unknown>, raw, signatureValid: verdict.ok });
      res.writeHead(verdict.ok ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/alerts`, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
