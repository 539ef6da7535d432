import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'x-clearance-signature';
export const timestampHeader = 'x-clearance-timestamp';

/**
 * The signature of a webhook body: HMAC-SHA256 over `<timestamp>.<body>`, so
 * a receiver that checks the timestamp's age also refuses a replayed body.
 */
export const webhookSignature = (secret: string, timestamp: number, body: string): string =>
  `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** What a receiver does: recompute and compare in constant time, and refuse an old timestamp. */
export function verifyWebhookSignature(
  input: { secret: string; timestamp: string | undefined; signature: string | undefined; body: string },
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(input.timestamp);
  if (!Number.isInteger(timestamp) || input.signature === undefined) return false;
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
