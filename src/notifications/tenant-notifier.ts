import type { Transporter } from 'nodemailer';
import type { NotificationsConfig } from '../config/config-schema';
import type { Alert } from '../shared/alert-contract';
import { ALERT_AUDIENCE, alertMessage } from './alert-messages';
import { createEmailTransport, sendEmailAlert } from './email-alert-sender';
import { sendWebhookAlert } from './webhook-alert-sender';

export interface AlertDelivery {
  webhook: boolean;
  emailRecipients: number;
}

/**
 * A tenant's alert channels, built once from its `notifications` config (secrets resolved by the
 * caller). Sends each alert to the webhook and to the e-mail audience of its kind.
 */
export class TenantNotifier {
  private transport: Transporter | undefined;

  constructor(
    private readonly config: NotificationsConfig | undefined,
    private readonly secret: (reference: string) => string,
  ) {}

  async send(alert: Alert, alertId: string): Promise<AlertDelivery> {
    const delivery: AlertDelivery = { webhook: false, emailRecipients: 0 };
    const webhook = this.config?.webhook;
    if (webhook) {
      await sendWebhookAlert({ url: webhook.url, secret: this.secret(webhook.secret), alertId, alert });
      delivery.webhook = true;
    }
    const email = this.config?.email;
    const to = email ? email[ALERT_AUDIENCE[alert.kind]] : [];
    if (email && to.length > 0) {
      this.transport ??= createEmailTransport(email, email.smtp.password ? this.secret(email.smtp.password) : undefined);
      await sendEmailAlert(this.transport, { from: email.from, to, message: alertMessage(alert), alertId });
      delivery.emailRecipients = to.length;
    }
    return delivery;
  }

  close(): void {
    this.transport?.close();
  }
}
