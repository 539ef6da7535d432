import { readFile } from 'node:fs/promises';
import { AppError, contributionTiers, parsePullRequestUrl, parseUpstreamUrl, sameUpstream, upstreamUrl } from '@clearance/core';
import { InvalidArgumentError, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { createApiClient, type ApiClient } from './api-client.js';
import { formatContribution, formatContributionList, formatQueue, type ContributionJson, type QueueItemJson } from './contribution-format.js';

interface SubmitOptions {
  file?: string;
  tier?: string;
  upstream?: string;
  title?: string;
  justification?: string;
  link: string[];
  lines?: number;
  coreIp?: boolean;
  patentRelevant?: boolean;
  securityFix?: boolean;
  claRequired?: boolean;
  dcoRequired?: boolean;
  claName?: string;
  projectName?: string;
  license?: string;
  team?: string;
  maintenance?: string;
  wait?: boolean;
  json?: boolean;
  /** resubmit only: leave out every link of the previous revision. */
  clearLinks?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const nonNegativeInt = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number, e.g. 120');
  return Number(value);
};

const stageNumber = (value: string): number => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('a stage number: 1 for the first stage');
  return Number(value);
};

/** A request file: YAML (JSON is YAML too) holding one mapping, the fields of POST /contributions. */
async function readRequestFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('not_found', `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new AppError('bad_request', `${path} is not valid YAML: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('bad_request', `${path} must hold the request's fields (tier, upstream, title, ...) as a mapping`);
  }
  return value as Record<string, unknown>;
}

/**
 * The request body: the file's fields (or `base` when there is no file), with
 * any flag given on the command line taking precedence.
 */
async function requestBody(options: SubmitOptions, base: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const body = options.file === undefined ? { ...base } : await readRequestFile(options.file);
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) body[key] = value;
  };
  set('tier', options.tier);
  set('upstream', options.upstream);
  set('title', options.title);
  set('justification', options.justification);
  set('estimatedLinesChanged', options.lines);
  set('claName', options.claName);
  if (options.link.length > 0) body.links = options.link;
  const flags: Record<string, boolean> = {};
  const flag = (key: string, value: boolean | undefined): void => {
    if (value !== undefined) flags[key] = value;
  };
  flag('touchesCoreIp', options.coreIp);
  flag('patentRelevant', options.patentRelevant);
  flag('securityFix', options.securityFix);
  flag('claRequired', options.claRequired);
  flag('dcoRequired', options.dcoRequired);
  if (Object.keys(flags).length > 0) body.flags = { ...(body.flags as Record<string, unknown> | undefined), ...flags };
  const project: Record<string, unknown> = {};
  if (options.projectName !== undefined) project.name = options.projectName;
  if (options.license !== undefined) project.outboundLicense = options.license;
  if (options.team !== undefined) project.owningTeam = options.team;
  if (options.maintenance !== undefined) project.maintenanceCommitment = options.maintenance;
  if (Object.keys(project).length > 0) body.project = { ...(body.project as Record<string, unknown> | undefined), ...project };
  return body;
}

/**
 * The links a resubmission carries over from the previous revision. With
 * --clear-links none; after --upstream, only those that belong to the new
 * upstream (a pull request on the old one would be refused). Edits `body`;
 * returns what it says about them.
 */
function carriedLinks(body: Record<string, unknown>, options: SubmitOptions): string[] {
  if (options.link.length > 0 || !Array.isArray(body.links) || body.links.length === 0) return [];
  const links = body.links.filter((link): link is string => typeof link === 'string');
  if (options.clearLinks) {
    body.links = [];
    return [`Left out ${links.length === 1 ? 'the link' : `${links.length} links`} of the previous revision (--clear-links)`];
  }
  const target = options.upstream === undefined ? null : parseUpstreamUrl(String(body.upstream));
  if (target === null || !target.ok) return [];
  const notes: string[] = [];
  body.links = links.filter((link) => {
    const pullRequest = parsePullRequestUrl(link);
    if (pullRequest === null || sameUpstream(pullRequest, target.value)) return true;
    notes.push(`Dropped link ${link}: it is on ${upstreamUrl(pullRequest)}, not on the new upstream ${upstreamUrl(target.value)}`);
    return false;
  });
  return notes;
}

const out = (text: string): void => {
  process.stdout.write(text);
};

const awaitingRouting = (status: string): boolean => status === 'submitted' || status === 'enriching';

/** What each status before routing means, as the waiting user reads it. */
const waitingFor: Record<string, string> = {
  submitted: 'queued: waiting for a worker to read GitHub and route it',
  enriching: 'a worker is reading GitHub about the upstream',
};

/**
 * Polls until the workers have routed the request (or a minute passed: it is
 * then still queued, which the output says), writing a line for every stage
 * it reaches and, while one lasts, a line every five seconds: never silence.
 */
async function waitForRouting(api: ApiClient, submitted: ContributionJson, say: (line: string) => void): Promise<ContributionJson> {
  const started = Date.now();
  let request = submitted;
  let shown = '';
  let told = started;
  for (;;) {
    if (request.status !== shown) {
      shown = request.status;
      told = Date.now();
      say(awaitingRouting(request.status) ? `  ${request.status}: ${waitingFor[request.status] ?? ''}` : `  routed: ${request.status}`);
    } else if (Date.now() - told >= 5_000) {
      told = Date.now();
      say(`  still ${request.status} after ${Math.round((told - started) / 1000)} s`);
    }
    if (!awaitingRouting(request.status) || Date.now() - started > 60_000) return request;
    await new Promise((resolve) => setTimeout(resolve, 250));
    request = await api.request<ContributionJson>('GET', `/contributions/${encodeURIComponent(submitted.id)}`);
  }
}

async function showSubmitted(api: ApiClient, submitted: ContributionJson, options: { wait?: boolean; json?: boolean }): Promise<void> {
  const headline = `Submitted ${submitted.id} (${submitted.tier}, revision ${submitted.revision}): ${submitted.status}\n`;
  if (!options.wait) {
    if (options.json) return out(`${JSON.stringify(submitted, null, 2)}\n`);
    return out(`${headline}Follow it with: clearance status ${submitted.id}\n`);
  }
  // The id comes first, at once; progress goes to stderr when stdout is for JSON.
  const say = (line: string): void => {
    (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  };
  say(headline.trimEnd());
  const request = await waitForRouting(api, submitted, say);
  if (options.json) return out(`${JSON.stringify(request, null, 2)}\n`);
  if (awaitingRouting(request.status)) out(`Not routed after a minute; the workers may be down. Follow it with: clearance status ${request.id}\n`);
  out(formatContribution(request));
}

function addSubmitOptions(command: Command): Command {
  return command
    .option('--file <path>', 'read the request from a YAML or JSON file (flags override its fields)')
    .option('--tier <tier>', `one of ${contributionTiers.join(', ')}`)
    .option('--upstream <url>', 'the upstream repository, e.g. https://github.com/owner/repo')
    .option('--title <text>', 'one line saying what the contribution is')
    .option('--justification <text>', 'why the company should send it')
    .option('--link <url>', 'a pull request or patch link (repeat for several)', collect, [])
    .option('--lines <n>', 'estimated lines changed', nonNegativeInt)
    .option('--core-ip', 'the change touches core intellectual property')
    .option('--patent-relevant', 'the change may be patent-relevant')
    .option('--security-fix', 'the change fixes a security issue')
    .option('--cla-required', 'the upstream asks for a CLA')
    .option('--dco-required', 'the upstream asks for DCO sign-off')
    .option('--cla-name <id>', 'the CLA asked for, e.g. google-cla')
    .option('--project-name <name>', 'new project: the repository name')
    .option('--license <spdx>', 'new project: the outbound license, e.g. Apache-2.0')
    .option('--team <name>', 'new project: the owning team')
    .option('--maintenance <text>', 'new project: who maintains it, and how')
    .option('--wait', 'wait until the request is routed and show the plan')
    .option('--json', 'print the JSON answer');
}

async function decideCommand(id: string, decision: 'approve' | 'reject' | 'request-changes', options: { reason?: string; stage?: number; json?: boolean }): Promise<void> {
  const api = createApiClient();
  const path = `/contributions/${encodeURIComponent(id)}`;
  // Name the stage being decided, so a stage someone else decided meanwhile is refused instead of landing on the next one.
  const stageIndex = options.stage === undefined ? (await api.request<ContributionJson>('GET', path)).currentStage : options.stage - 1;
  const result = await api.request<{ outcome: string; decision: { stageIndex: number }; request: ContributionJson }>('POST', `${path}/decisions`, {
    body: {
      decision,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      ...(stageIndex === null ? {} : { stageIndex }),
    },
  });
  if (options.json) return out(`${JSON.stringify(result, null, 2)}\n`);
  const verb = { approve: 'Approved', reject: 'Rejected', 'request-changes': 'Requested changes on' }[decision];
  out(`${verb} stage ${result.decision.stageIndex + 1} of ${id} (${result.outcome}); the request is now ${result.request.status}\n`);
}

/** The engineer's and the reviewer's commands; they talk to the HTTP API (CLEARANCE_URL, CLEARANCE_TOKEN). */
export function registerContributionCommands(program: Command): void {
  addSubmitOptions(program.command('submit').description('submit a contribution request (flags, or --file request.yaml)')).action(async (options: SubmitOptions) => {
    const api = createApiClient();
    const submitted = await api.request<ContributionJson>('POST', '/contributions', { body: await requestBody(options) });
    await showSubmitted(api, submitted, options);
  });

  program
    .command('status [id]')
    .description('show one request (stages, decisions, why this plan), or list yours')
    .option('--json', 'print the JSON answer')
    .action(async (id: string | undefined, options: { json?: boolean }) => {
      const api = createApiClient();
      if (id === undefined) {
        const list = await api.request<{ items: ContributionJson[] }>('GET', '/contributions');
        return out(options.json ? `${JSON.stringify(list, null, 2)}\n` : formatContributionList(list.items));
      }
      const request = await api.request<ContributionJson>('GET', `/contributions/${encodeURIComponent(id)}`);
      out(options.json ? `${JSON.stringify(request, null, 2)}\n` : formatContribution(request));
    });

  program
    .command('withdraw <id>')
    .description('withdraw your open request')
    .action(async (id: string) => {
      const request = await createApiClient().request<ContributionJson>('POST', `/contributions/${encodeURIComponent(id)}/withdraw`);
      out(`Withdrew ${request.id}: ${request.status}\n`);
    });

  addSubmitOptions(program.command('resubmit <id>').description('submit a new revision after a rejection, a change request or a withdrawal (unchanged unless --file or flags say otherwise)'))
    .option('--clear-links', 'leave out every link of the previous revision (give new ones with --link)')
    .action(async (id: string, options: SubmitOptions) => {
      const api = createApiClient();
      // Nothing given: the server sends the previous revision again. Flags alone edit the previous request; a file replaces it.
      const unchanged = Object.keys(await requestBody(options)).length === 0 && options.clearLinks !== true;
      let body: Record<string, unknown> = {};
      if (!unchanged) {
        const previous = options.file === undefined ? (await api.request<{ request: Record<string, unknown> }>('GET', `/contributions/${encodeURIComponent(id)}`)).request : {};
        body = await requestBody(options, previous);
        for (const line of carriedLinks(body, options)) (options.json ? process.stderr : process.stdout).write(`${line}\n`);
      }
      const submitted = await api.request<ContributionJson>('POST', `/contributions/${encodeURIComponent(id)}/revisions`, { body });
      await showSubmitted(api, submitted, options);
    });

  program
    .command('queue')
    .description('what waits for the reviewer roles you hold, oldest first')
    .option('--limit <n>', 'at most this many', nonNegativeInt)
    .option('--json', 'print the JSON answer')
    .action(async (options: { limit?: number; json?: boolean }) => {
      const queue = await createApiClient().request<{ items: QueueItemJson[] }>('GET', '/reviews', { query: { limit: options.limit } });
      out(options.json ? `${JSON.stringify(queue, null, 2)}\n` : formatQueue(queue.items));
    });

  program
    .command('approve <id>')
    .description('approve the current stage of a request')
    .option('--reason <text>', 'a note for the record')
    .option('--stage <n>', 'the stage you are deciding (1 = first); default: the current one', stageNumber)
    .option('--json', 'print the JSON answer')
    .action((id: string, options: { reason?: string; stage?: number; json?: boolean }) => decideCommand(id, 'approve', options));

  program
    .command('reject <id>')
    .description('reject a request: the reason is what the requester reads')
    .requiredOption('--reason <text>', 'why not')
    .option('--stage <n>', 'the stage you are deciding (1 = first)', stageNumber)
    .option('--json', 'print the JSON answer')
    .action((id: string, options: { reason: string; stage?: number; json?: boolean }) => decideCommand(id, 'reject', options));

  program
    .command('request-changes <id>')
    .description('send a request back for changes; the requester resubmits a new revision')
    .requiredOption('--reason <text>', 'what to change')
    .option('--stage <n>', 'the stage you are deciding (1 = first)', stageNumber)
    .option('--json', 'print the JSON answer')
    .action((id: string, options: { reason: string; stage?: number; json?: boolean }) => decideCommand(id, 'request-changes', options));
}
