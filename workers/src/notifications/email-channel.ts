import { emailText } from '@clearance/core';
import type { OutgoingDelivery } from '@clearance/services';
import { createTransport } from 'nodemailer';

export interface EmailSettings {
  /** CLEARANCE_SMTP_URL: smtp://user:password@host:port (smtps:// for TLS from the start). */
  smtpUrl: string;
  /** CLEARANCE_MAIL_FROM. */
  from: string;
}

/** nodemailer's error codes and SMTP reply codes say what went wrong without repeating credentials. */
const describeSmtpError = (error: unknown): string => {
  if (typeof error !== 'object' || error === null) return 'the SMTP server refused the message';
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  const parts = [typeof code === 'string' ? code : null, typeof responseCode === 'number' ? `SMTP ${responseCode}` : null].filter((part) => part !== null);
  return `the SMTP server refused the message${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
};

/**
 * Email through one pooled SMTP connection. The delivery id is the
 * Message-ID, so a receiving system can tell a resend from a new notice.
 */
export function createEmailChannel(settings: EmailSettings): { send(delivery: OutgoingDelivery): Promise<void>; close(): void } {
  const transport = createTransport(settings.smtpUrl, { from: settings.from });
  const domain = settings.from.split('@')[1]?.replace(/[>\s]/g, '') ?? 'clearance.local';
  return {
    async send(delivery) {
      if (delivery.address === null) throw new Error(`email delivery ${delivery.id} has no address`);
      try {
        await transport.sendMail({
          to: delivery.address,
          subject: delivery.notice.title,
          text: emailText(delivery.notice),
          messageId: `<${delivery.id}@${domain}>`,
          headers: { 'X-Clearance-Event': delivery.notice.kind },
        });
      } catch (error) {
        throw new Error(describeSmtpError(error));
      }
    },
    close: () => transport.close(),
  };
}
