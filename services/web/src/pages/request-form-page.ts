import { notice, pageHeader } from '../components/bits.js';
import { checkbox, field, type Field } from '../components/field.js';
import { FormErrors } from '../components/form-errors.js';
import { api, ApiError, describeError } from '../lib/api-client.js';
import type { Contribution, ContributionDetail, RequestInput, TierDescription } from '@clearance/contract';
import { announce, append, h, uniqueId } from '../lib/dom.js';
import { navigate, type Page } from '../lib/router.js';

const flagFields: Array<[name: string, label: string]> = [
  ['touchesCoreIp', 'Touches core intellectual property'],
  ['patentRelevant', 'May be patent-relevant'],
  ['securityFix', 'Fixes a security issue'],
  ['claRequired', 'The upstream asks for a CLA'],
  ['dcoRequired', 'The upstream asks for a DCO sign-off'],
];

/**
 * Submit a request, or resubmit one after a "no" (pre-filled with the
 * revision it follows). Only the fields of the chosen tier are shown and
 * sent; every message the API returns lands next to its field.
 */
export const requestFormPage: Page = async ({ main, params, signal }) => {
  const previousId = params.id ?? null;
  const previous = previousId ? await api<ContributionDetail>('GET', `/contributions/${previousId}`, { signal }) : null;
  const initial: Partial<RequestInput> = previous?.request ?? {};
  // The tiers, their order and their words come from the server (core's list, the policy's labels).
  const { items: tiers } = await api<{ items: TierDescription[] }>('GET', '/policy/tiers', { signal });
  const firstTier = tiers[0]?.tier ?? '';
  const targetOf = (tier: string): TierDescription['target'] | undefined => tiers.find((entry) => entry.tier === tier)?.target;

  const tierName = uniqueId('tier');
  const tierRadios = tiers.map((tier) => {
    const input = h('input', { type: 'radio', name: tierName, value: tier.tier, id: uniqueId('tier'), checked: (initial.tier ?? firstTier) === tier.tier });
    return { tier, input, element: h('div', { class: 'radio-card' }, input, h('label', { for: input.id }, h('strong', {}, tier.label), h('span', { class: 'field-hint' }, tier.description ?? ''))) };
  });
  const tierError = h('p', { class: 'field-error', id: uniqueId('tier-error'), hidden: true });
  const tierSet = h('fieldset', { class: 'tiers' }, h('legend', {}, 'What kind of contribution is it?'), ...tierRadios.map((radio) => radio.element), tierError);
  const tierField: Field = {
    element: tierSet,
    control: tierRadios[0]?.input ?? h('input', {}),
    setError(message) {
      tierError.textContent = message ?? '';
      tierError.hidden = message === null;
    },
  };
  const selectedTier = (): string => tierRadios.find((radio) => radio.input.checked)?.tier.tier ?? firstTier;

  const text = (name: string, value = ''): HTMLInputElement => h('input', { name, value, spellcheck: 'false' });
  const upstream = field('Upstream repository URL', text('upstream', initial.upstream ?? ''), { hint: 'e.g. https://github.com/owner/repo (GitHub or GitHub Enterprise)' });
  const claName = field('CLA the upstream asks for (optional)', text('claName', initial.claName ?? ''), { hint: 'If you know it, e.g. google-cla or apache-icla.' });
  const projectName = field('Project name', text('project.name', initial.project?.name ?? ''), { hint: 'The repository name: letters, digits, ".", "-" and "_".' });
  const outboundLicense = field('Outbound license', text('project.outboundLicense', initial.project?.outboundLicense ?? 'Apache-2.0'), { hint: 'An SPDX id, e.g. Apache-2.0 or MIT.' });
  const owningTeam = field('Owning team', text('project.owningTeam', initial.project?.owningTeam ?? ''));
  const maintenance = field('Maintenance commitment', h('textarea', { name: 'project.maintenanceCommitment', rows: '2' }, initial.project?.maintenanceCommitment ?? ''), {
    hint: 'Who maintains it, and for how long.',
  });
  const title = field('Title', text('title', initial.title ?? ''));
  const justification = field('Justification', h('textarea', { name: 'justification', rows: '4' }, initial.justification ?? ''), { hint: 'Why this contribution is worth making; reviewers read it first.' });
  const links = field('Links (one per line)', h('textarea', { name: 'links', rows: '2', spellcheck: 'false' }, (initial.links ?? []).join('\n')), {
    hint: 'The pull request on the upstream, or a patch. The first pull request is read from GitHub.',
  });
  const lines = field('Estimated lines changed', h('input', { name: 'estimatedLinesChanged', type: 'number', min: '0', step: '1', inputmode: 'numeric', value: initial.estimatedLinesChanged ?? '' }));
  const flags = flagFields.map(([name, label]) => ({ name, ...checkbox(label, name, initial.flags?.[name] === true) }));
  const flagSet = h('fieldset', { class: 'flags' }, h('legend', {}, 'Flags'), ...flags.map((flag) => flag.element));

  const upstreamFields = h('div', { class: 'tier-fields' }, upstream.element, claName.element);
  const projectFields = h('div', { class: 'tier-fields' }, projectName.element, outboundLicense.element, owningTeam.element, maintenance.element);
  const showTierFields = (): void => {
    const project = targetOf(selectedTier()) === 'project';
    upstreamFields.hidden = project;
    projectFields.hidden = !project;
  };
  for (const radio of tierRadios) radio.input.addEventListener('change', showTierFields);
  showTierFields();

  const fields = new Map<string, Field>([
    ['tier', tierField],
    ['upstream', upstream],
    ['claName', claName],
    ['project.name', projectName],
    ['project.outboundLicense', outboundLicense],
    ['project.owningTeam', owningTeam],
    ['project.maintenanceCommitment', maintenance],
    ['title', title],
    ['justification', justification],
    ['links', links],
    ['estimatedLinesChanged', lines],
    ...flags.map((flag): [string, Field] => [`flags.${flag.name}`, { element: flag.element, control: flag.control, setError: () => undefined }]),
  ]);
  const errors = new FormErrors(fields);

  const body = (): Record<string, unknown> => {
    const tier = selectedTier();
    const linesText = lines.control.value.trim();
    const common = {
      title: title.control.value,
      justification: justification.control.value,
      links: links.control.value
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
      // Empty stays absent (the API says it is required); anything else goes as a number for the API to judge.
      ...(linesText === '' ? {} : { estimatedLinesChanged: Number(linesText) }),
      flags: Object.fromEntries(flags.map((flag) => [flag.name, flag.control.checked])),
    };
    if (targetOf(tier) === 'project') {
      return {
        tier,
        project: { name: projectName.control.value, outboundLicense: outboundLicense.control.value, owningTeam: owningTeam.control.value, maintenanceCommitment: maintenance.control.value },
        ...common,
      };
    }
    return { tier, upstream: upstream.control.value.trim(), ...(claName.control.value.trim() ? { claName: claName.control.value.trim() } : {}), ...common };
  };

  const submit = h('button', { type: 'submit' }, previous ? 'Resubmit as a new revision' : 'Submit request');
  const form = h(
    'form',
    { class: 'request-form', novalidate: true },
    errors.summary,
    tierSet,
    upstreamFields,
    projectFields,
    title.element,
    justification.element,
    h('div', { class: 'grid-2' }, links.element, lines.element),
    flagSet,
    h('div', { class: 'actions' }, submit, h('a', { href: previous ? `#/requests/${previous.id}` : '#/requests', class: 'button secondary' }, 'Cancel')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errors.clear();
    submit.disabled = true;
    const path = previous ? `/contributions/${previous.id}/revisions` : '/contributions';
    api<Contribution>('POST', path, { body: body(), signal })
      .then((created) => {
        announce(previous ? `Revision ${created.revision} submitted.` : 'Request submitted.');
        navigate(`/requests/${created.id}`);
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError) errors.show(error.code === 'validation_failed' ? 'The request was not submitted' : error.message, error.fieldIssues);
        else errors.show(describeError(error), []);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });

  append(
    main,
    pageHeader(previous ? `Resubmit: ${previous.title}` : 'New contribution request'),
    previous
      ? notice('info', `This becomes revision ${previous.revision + 1}. Revision ${previous.revision} and its decisions stay on record.`)
      : null,
    form,
  );
};
