import type { Notice } from './notice.js';

/** Slack reads `<…>` as links and mentions and `&` as an entity: text from users must make neither. */
const slackInert = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** An incoming-webhook message for Slack: `text` (the fallback, and what notifications show) plus blocks. */
export function slackMessage(notice: Notice): { text: string; blocks: unknown[] } {
  const facts = notice.facts.map((fact) => ({ type: 'mrkdwn', text: `*${slackInert(fact.name)}*\n${slackInert(fact.value)}` }));
  return {
    text: slackInert(notice.text),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: notice.title.slice(0, 150), emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: slackInert(notice.text).slice(0, 3_000) } },
      // Slack allows at most 10 fields in a section.
      ...(facts.length > 0 ? [{ type: 'section', fields: facts.slice(0, 10) }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Clearance · ${notice.kind}` }] },
    ],
  };
}

/**
 * A Microsoft Teams message carrying an Adaptive Card, the payload both
 * Teams Workflows webhooks and the older incoming-webhook connectors accept.
 */
export function teamsMessage(notice: Notice): { type: 'message'; attachments: unknown[] } {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: notice.title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: notice.text, wrap: true },
            ...(notice.facts.length > 0 ? [{ type: 'FactSet', facts: notice.facts.map((fact) => ({ title: fact.name, value: fact.value })) }] : []),
          ],
        },
      },
    ],
  };
}

/** The signed webhook's body: stable field names a receiver can parse; `id` is the delivery's idempotency key. */
export const webhookBody = (deliveryId: string, notice: Notice): Record<string, unknown> => ({
  id: deliveryId,
  kind: notice.kind,
  key: notice.key,
  title: notice.title,
  text: notice.text,
  facts: notice.facts,
  data: notice.data,
});

/** The plain-text email: the line, then one fact per line. */
export const emailText = (notice: Notice): string =>
  [notice.text, '', ...notice.facts.map((fact) => `${fact.name}: ${fact.value}`), '', '-- Clearance (notification settings: GET/PUT /me/notifications)'].join('\n');
