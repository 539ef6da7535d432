import { findContribution, type Queryable } from '@clearance/db';

/** What the notification webhook receives when a stage goes overdue. */
export interface OverdueNotice {
  /** One line for people, in the `text` field chat webhooks (Slack, Mattermost) show. */
  text: string;
  event: 'contribution.stage-overdue';
  requestId: string;
  title: string;
  requester: string;
  tier: string;
  stage: number;
  roles: string[];
  escalatedTo: string[];
  dueAt: string;
}

// Chat webhooks read <…> as links and mentions: text from a request must not make any.
const inert = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * The notice for an overdue stage, or null when the stage is no longer
 * waiting (decided between the escalation and this notice): nobody needs to
 * be told to look at something that is done.
 */
export async function overdueNoticeFor(db: Queryable, input: { requestId: string; stageIndex: number }): Promise<OverdueNotice | null> {
  const record = await findContribution(db, input.requestId);
  const stage = record?.state.stages[input.stageIndex];
  if (!record || !stage || stage.status !== 'pending' || stage.dueAt === null) return null;
  const { state } = record;
  const dueAt = stage.dueAt.toISOString();
  const also = stage.escalatedRoles.length > 0 ? `; ${stage.escalatedRoles.join(', ')} may now decide it too` : '';
  return {
    text:
      `Overdue: contribution request ${state.id} "${inert(record.title)}" by ${inert(state.requester)} (${state.tier}): ` +
      `stage ${stage.index + 1} (${stage.roles.join(', ')}) was due ${dueAt}${also}.`,
    event: 'contribution.stage-overdue',
    requestId: state.id,
    title: record.title,
    requester: state.requester,
    tier: state.tier,
    stage: stage.index,
    roles: [...stage.roles],
    escalatedTo: [...stage.escalatedRoles],
    dueAt,
  };
}

/**
 * POSTs a notice as JSON (the plain body CLEARANCE_NOTIFY_WEBHOOK_URL gets).
 * Anything but a 2xx throws, so the job retries with backoff. The URL is
 * never put in an error or a log line: chat webhook URLs carry their secret
 * in the path.
 */
export async function postNotice(webhookUrl: string, notice: object, timeoutMs = 10_000): Promise<void> {
  let response: Response;
  try {
    response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notice),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    throw new Error(`the notification webhook did not answer (${error instanceof Error ? error.name : 'error'})`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the notification webhook answered ${response.status}`);
}
