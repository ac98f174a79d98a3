import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationsConfig } from '../config/config-schema';
import type { AlertMessage } from './alert-messages';

type EmailConfig = NonNullable<NotificationsConfig['email']>;

/** nodemailer over SMTP (TLS unless the config allows a plain local relay); one transport per tenant. */
export function createEmailTransport(config: EmailConfig, password: string | undefined): Transporter {
  return createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    requireTLS: !config.smtp.secure && config.smtp.requireTls,
    ignoreTLS: !config.smtp.secure && !config.smtp.requireTls,
    ...(config.smtp.username ? { auth: { user: config.smtp.username, pass: password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}

export async function sendEmailAlert(
  transport: Transporter,
  options: { from: string; to: string[]; message: AlertMessage; alertId: string },
): Promise<void> {
  await transport.sendMail({
    from: options.from,
    to: options.to,
    subject: options.message.subject,
    text: options.message.text,
    // Stable per alert: a retried delivery is recognisable as the same message.
    messageId: `<${options.alertId.replace(/[^A-Za-z0-9._-]/g, '.')}@lucca-connectors>`,
  });
}
