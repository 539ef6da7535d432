import { describe, expect, it } from 'vitest';
import { detectAgreementsInText } from './cla-detection.js';

describe('detectAgreementsInText', () => {
  it.each([
    ['Please sign our Contributor License Agreement before we can accept your PR.', { cla: true, dco: false, claName: null }],
    ['Sign the CLA at https://cla.developers.google.com/ first.', { cla: true, dco: false, claName: 'google-cla' }],
    ['We use EasyCLA from the Linux Foundation.', { cla: true, dco: false, claName: 'linux-foundation-easycla' }],
    ['See https://cla.opensource.microsoft.com for details.', { cla: true, dco: false, claName: 'microsoft-cla' }],
    ['Sign the Eclipse Contributor Agreement (ECA).', { cla: true, dco: false, claName: 'eclipse-eca' }],
    ['Every commit needs a Signed-off-by: line.', { cla: false, dco: true, claName: null }],
    ['We follow the Developer Certificate of Origin; use git commit -s.', { cla: false, dco: true, claName: null }],
    ['We do not require a CLA.', { cla: false, dco: false, claName: null }],
    ['No DCO sign-off is needed.\n\nJust open a pull request.', { cla: false, dco: false, claName: null }],
    ['Thanks for contributing! Open an issue first.', { cla: false, dco: false, claName: null }],
  ])('%s', (text, expected) => {
    expect(detectAgreementsInText(text)).toEqual(expected);
  });

  it('does not read "CLA" inside other words', () => {
    expect(detectAgreementsInText('Use the CLAMP tool and the DCOM bridge.')).toEqual({ cla: false, dco: false, claName: null });
  });
});
