import { describe, expect, it } from 'vitest';
import { matchIssues } from './form-errors.js';

describe('matching the API\'s field messages to form fields', () => {
  const fields = ['tier', 'upstream', 'project.name', 'links', 'flags.securityFix', 'estimatedLinesChanged'];

  it('puts a message on the field its path names, or on the field above it', () => {
    const { byField, unmatched } = matchIssues(fields, [
      { path: 'project.name', message: 'Project name must not be empty' },
      { path: 'links.1', message: 'A link must start with https:// or http://' },
      { path: 'links.3', message: 'This pull request is on another repository' },
      { path: 'estimatedLinesChanged', message: 'Estimated lines changed is required' },
    ]);
    expect(Object.fromEntries(byField)).toEqual({
      'project.name': ['Project name must not be empty'],
      links: ['A link must start with https:// or http://', 'This pull request is on another repository'],
      estimatedLinesChanged: ['Estimated lines changed is required'],
    });
    expect(unmatched).toEqual([]);
  });

  it('keeps what no field claims (unknown keys, whole-body problems) for the summary', () => {
    const { byField, unmatched } = matchIssues(fields, [
      { path: '', message: 'Unrecognized key: "upstream"' },
      { path: 'projectile', message: 'not a field' },
    ]);
    expect(byField.size).toBe(0);
    expect(unmatched.map((issue) => issue.path)).toEqual(['', 'projectile']);
  });
});
