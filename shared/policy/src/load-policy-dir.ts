import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AppError,
  type ContributionPolicy,
  contributionPolicySchema,
  type LicensePolicy,
  licensePolicySchema,
  type ObligationPolicy,
  obligationPolicySchema,
  type NotificationPolicy,
  notificationPolicySchema,
} from '@clearance/core';
import { LineCounter, parseDocument } from 'yaml';
import type { ZodType } from 'zod';
import { policyFileSchemas } from './policy-file-schemas.js';
import { type PolicyProblem, policyValidationError } from './policy-problem.js';
import { type PolicyFile, policyVersionOf, sha256Hex } from './policy-version.js';
import { formatPath, positionOfPath } from './yaml-position.js';

export interface LoadedPolicy {
  /** Hash of the loaded files: recorded with every evaluation and decision. */
  version: string;
  files: PolicyFile[];
  licenses: LicensePolicy;
  /**
   * The contribution routing policy, or null when the folder has no
   * contributions.yaml (a folder used only to check SBOMs needs none; the
   * server then refuses contribution requests with a message saying so).
   */
  contributions: ContributionPolicy | null;
  /** The obligations catalogue, or null when the folder has no obligations.yaml (then nothing lists obligations). */
  obligations: ObligationPolicy | null;
  /** Who is told about what, or null when the folder has no notifications.yaml (nobody is). */
  notifications: NotificationPolicy | null;
  /** Each file's validated content, by file name. */
  documents: Record<string, unknown>;
}

export interface LoadPolicyOptions {
  /** The schema of each file kind; the built-in registry by default. */
  schemas?: Record<string, ZodType>;
}

const licensesFile = 'licenses.yaml';
const contributionsFile = 'contributions.yaml';
const obligationsFile = 'obligations.yaml';
const notificationsFile = 'notifications.yaml';

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Parses and validates one file; problems carry the line and column of the YAML node at fault. */
const checkFile = (file: PolicyFile, schema: ZodType): { value: unknown; problems: PolicyProblem[] } => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.content, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      problems: doc.errors.map((error) => {
        const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
        return {
          file: file.name,
          line: position.line,
          column: position.col,
          path: '',
          message: `YAML: ${error.message.split('\n')[0] ?? error.code}`,
        };
      }),
    };
  }
  const result = schema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (result.success) return { value: result.data, problems: [] };
  return {
    value: undefined,
    problems: result.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const path = keys.length === 1 ? [...issue.path, ...keys] : issue.path;
      const position = positionOfPath(doc, lineCounter, path, keys.length === 1);
      return { file: file.name, line: position.line, column: position.column, path: formatPath(path), message: issue.message };
    }),
  };
};

/**
 * Loads a policy folder: every `*.yaml` file in it, sorted by name, each
 * validated with the schema registered for its name. All problems of all files
 * are gathered and thrown together as one `validation_failed` AppError whose
 * details are `PolicyProblem`s.
 */
export const loadPolicyDir = async (dir: string, options: LoadPolicyOptions = {}): Promise<LoadedPolicy> => {
  const schemas = options.schemas ?? policyFileSchemas;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new AppError('not_found', `cannot read policy folder ${dir}`, undefined, { cause: error });
  }
  const problems: PolicyProblem[] = [];
  const names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  for (const name of names.filter((n) => n.endsWith('.yml')).sort(byName)) {
    problems.push({ file: name, line: 0, column: 0, path: '', message: 'policy files end in .yaml' });
  }
  const files: PolicyFile[] = [];
  for (const name of names.filter((n) => n.endsWith('.yaml')).sort(byName)) {
    const bytes = await readFile(join(dir, name));
    files.push({ name, content: bytes.toString('utf8'), sha256: sha256Hex(bytes) });
  }
  const documents: Record<string, unknown> = {};
  for (const file of files) {
    const schema = schemas[file.name];
    if (schema === undefined) {
      const known = Object.keys(schemas).sort(byName).join(', ');
      problems.push({ file: file.name, line: 0, column: 0, path: '', message: `no schema for this file (known: ${known})` });
      continue;
    }
    const checked = checkFile(file, schema);
    problems.push(...checked.problems);
    if (checked.problems.length === 0) documents[file.name] = checked.value;
  }
  if (!files.some((file) => file.name === licensesFile)) {
    problems.push({ file: licensesFile, line: 0, column: 0, path: '', message: `missing: a policy folder needs ${licensesFile}` });
  }
  if (problems.length > 0) throw policyValidationError(problems);
  // Parsed again with the typed schema: the registry is open to other files and loses the type.
  const licenses = licensePolicySchema.safeParse(documents[licensesFile]);
  if (!licenses.success) {
    throw policyValidationError([{ file: licensesFile, line: 0, column: 0, path: '', message: licenses.error.message }]);
  }
  let contributions: ContributionPolicy | null = null;
  if (documents[contributionsFile] !== undefined) {
    const parsed = contributionPolicySchema.safeParse(documents[contributionsFile]);
    if (!parsed.success) {
      throw policyValidationError([{ file: contributionsFile, line: 0, column: 0, path: '', message: parsed.error.message }]);
    }
    contributions = parsed.data;
  }
  const obligations = obligationsOf(documents[obligationsFile], licenses.data);
  let notifications: NotificationPolicy | null = null;
  if (documents[notificationsFile] !== undefined) {
    const parsed = notificationPolicySchema.safeParse(documents[notificationsFile]);
    if (!parsed.success) {
      throw policyValidationError([{ file: notificationsFile, line: 0, column: 0, path: '', message: parsed.error.message }]);
    }
    notifications = parsed.data;
  }
  return { version: policyVersionOf(files), files, licenses: licenses.data, contributions, obligations, notifications, documents };
};

/** The obligations catalogue, its categories checked against licenses.yaml (a misspelt one would silently bring nothing). */
const obligationsOf = (document: unknown, licenses: LicensePolicy): ObligationPolicy | null => {
  if (document === undefined) return null;
  const parsed = obligationPolicySchema.safeParse(document);
  if (!parsed.success) throw policyValidationError([{ file: obligationsFile, line: 0, column: 0, path: '', message: parsed.error.message }]);
  const unknown = Object.keys(parsed.data.categories).filter((category) => licenses.categories[category] === undefined);
  if (unknown.length > 0) {
    throw policyValidationError(
      unknown.map((category) => ({
        file: obligationsFile,
        line: 0,
        column: 0,
        path: `categories.${category}`,
        message: `no category ${category} in ${licensesFile} (known: ${Object.keys(licenses.categories).join(', ')})`,
      })),
    );
  }
  return parsed.data;
};
