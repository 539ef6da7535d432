import {
  AppError,
  asPublicKey,
  canonicalJson,
  keyIdOf,
  policyVersionOf,
  type AuditEventRecord,
  type KeyInput,
  type KeyRotation,
  type PolicyFile,
  type SignedCheckpoint,
} from '@clearance/core';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  CHECKPOINTS_FILE,
  CONFORMANCE_FILE,
  EVENTS_FILE,
  isSafeRelativePath,
  isSafeVersion,
  KEY_ROTATIONS_FILE,
  MANIFEST_FILE,
  policyPath,
  PUBLIC_KEY_FILE,
} from './bundle-layout.js';
import { ConformanceMap, conformanceFileText } from './conformance/conformance-map.js';
import { emptyPredecessor, signManifest, type BundleManifest } from './manifest.js';
import { referencedPolicyVersions } from './referenced-policies.js';
import { subjectKey } from './subject.js';

export interface PolicyVersionFiles {
  version: string;
  files: readonly PolicyFile[];
}

export interface BundleScope {
  from?: string | null;
  to?: string | null;
  /** `<subjectType>:<subjectId>` */
  subject?: string | null;
}

export interface WriteBundleInput {
  /** A contiguous run of the chain, in seq order, starting right after `startAfter` (or at seq 1). */
  events: AsyncIterable<AuditEventRecord> | Iterable<AuditEventRecord>;
  /** All checkpoints known; those within the exported range are written. */
  checkpoints: readonly SignedCheckpoint[];
  publicKeyPem: string;
  /** The private half of publicKeyPem: it signs the manifest, so no manifest field can be edited unseen. */
  signingKey: KeyInput;
  /** The files of policy versions; every version the events reference must be among them. */
  policyFiles: readonly PolicyVersionFiles[];
  scope: BundleScope;
  /** The event just before the first exported one, when the export starts mid-chain. */
  startAfter?: { seq: number; hash: string };
  /**
   * Every key rotation of the deployment so far, in seq order. public-key.pem
   * is then the first key (the first rotation's old key), and
   * key-rotations.json carries the chain from it to publicKeyPem.
   */
  keyRotations?: readonly KeyRotation[];
  /** The manifest's creation time; now by default. */
  createdAt?: string;
}

export interface WrittenBundle {
  manifest: BundleManifest;
  /** SHA-256 of manifest.json as written: what an `audit.exported` event records. */
  manifestSha256: string;
}

const sha256 = (content: string | Uint8Array): string => createHash('sha256').update(content).digest('hex');

/**
 * Writes a dossier bundle into `dir` (created if needed, refused if not
 * empty: a bundle mixed with older files could not verify). Events stream to
 * disk with their hash taken on the way, so memory does not grow with the
 * export. On failure the files written so far are removed again.
 */
export async function writeBundle(dir: string, input: WriteBundleInput): Promise<WrittenBundle> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new AppError('conflict', `the bundle folder ${dir} is not empty`);
  if (keyIdOf(asPublicKey(input.signingKey)) !== keyIdOf(input.publicKeyPem)) {
    throw new AppError('bad_request', 'the signing key is not the private half of the public key given for the bundle');
  }
  try {
    return await write(dir, input);
  } catch (error) {
    for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
    throw error;
  }
}

async function write(dir: string, input: WriteBundleInput): Promise<WrittenBundle> {
  const files: Record<string, string> = {};
  const subject = input.scope.subject ?? null;
  const predecessor = input.startAfter ?? emptyPredecessor;

  const events = await writeEvents(join(dir, EVENTS_FILE), input.events, subject);
  files[EVENTS_FILE] = events.sha256;
  files[CONFORMANCE_FILE] = await writeText(dir, CONFORMANCE_FILE, conformanceFileText(events.conformance.result()));
  const lastSeq = events.lastSeq ?? predecessor.seq;

  // Only checkpoints the bundle's own events can be checked against; one at
  // the predecessor vouches for the predecessor hash.
  const checkpoints = input.checkpoints.filter((c) => c.seq >= predecessor.seq && c.seq <= lastSeq).sort((a, b) => a.seq - b.seq);
  files[CHECKPOINTS_FILE] = await writeText(dir, CHECKPOINTS_FILE, `${JSON.stringify(checkpoints, null, 2)}\n`);
  const rotations = [...(input.keyRotations ?? [])].sort((a, b) => a.seq - b.seq);
  files[PUBLIC_KEY_FILE] = await writeText(dir, PUBLIC_KEY_FILE, rotations[0]?.oldPublicKeyPem ?? input.publicKeyPem);
  files[KEY_ROTATIONS_FILE] = await writeText(dir, KEY_ROTATIONS_FILE, `${JSON.stringify(rotations, null, 2)}\n`);

  const versions = [...events.policyVersions].sort();
  for (const version of versions) {
    const given = input.policyFiles.find((candidate) => candidate.version === version);
    if (given === undefined) throw new AppError('unprocessable', `the events reference policy version ${version} but its files were not given`);
    if (!isSafeVersion(version)) throw new AppError('unprocessable', `policy version ${JSON.stringify(version)} cannot be a folder name`);
    const computed = policyVersionOf(given.files);
    if (computed !== version) throw new AppError('unprocessable', `the files given for policy version ${version} hash to ${computed}`);
    for (const file of given.files) {
      if (!isSafeRelativePath(file.name)) throw new AppError('unprocessable', `policy file name ${JSON.stringify(file.name)} is not a safe relative path`);
      const path = policyPath(version, file.name);
      await mkdir(dirname(join(dir, path)), { recursive: true });
      files[path] = await writeText(dir, path, file.content);
    }
  }

  const manifest = signManifest(
    {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      createdAt: input.createdAt ?? new Date().toISOString(),
      scope: { from: input.scope.from ?? null, to: input.scope.to ?? null, subject },
      events: {
        count: events.count,
        firstSeq: events.firstSeq,
        lastSeq: events.lastSeq,
        predecessor: { seq: predecessor.seq, hash: predecessor.hash },
        headHash: events.lastHash ?? predecessor.hash,
        subjectEventCount: subject === null ? null : events.subjectCount,
      },
      checkpoints: { count: checkpoints.length },
      policyVersions: versions,
      keyId: keyIdOf(input.publicKeyPem),
      files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    input.signingKey,
  );
  const manifestSha256 = await writeText(dir, MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, manifestSha256 };
}

async function writeText(dir: string, path: string, content: string | Uint8Array): Promise<string> {
  await writeFile(join(dir, path), content, { flag: 'wx' });
  return sha256(content);
}

interface WrittenEvents {
  sha256: string;
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  subjectCount: number;
  policyVersions: Set<string>;
  conformance: ConformanceMap;
}

async function writeEvents(path: string, events: WriteBundleInput['events'], subject: string | null): Promise<WrittenEvents> {
  const hash = createHash('sha256');
  const written: WrittenEvents = { sha256: '', count: 0, firstSeq: null, lastSeq: null, lastHash: null, subjectCount: 0, policyVersions: new Set(), conformance: new ConformanceMap() };
  async function* lines(): AsyncGenerator<string> {
    for await (const event of events) {
      const line = `${canonicalJson(recordOf(event))}\n`;
      hash.update(line, 'utf8');
      written.count += 1;
      written.firstSeq ??= event.seq;
      written.lastSeq = event.seq;
      written.lastHash = event.hash;
      if (subject !== null && subjectKey(event) === subject) written.subjectCount += 1;
      for (const version of referencedPolicyVersions(event)) written.policyVersions.add(version);
      written.conformance.add(event);
      yield line;
    }
  }
  // pipeline keeps backpressure: a fast database cursor cannot fill memory.
  await pipeline(Readable.from(lines()), createWriteStream(path, { flags: 'wx' }));
  written.sha256 = hash.digest('hex');
  return written;
}

// Exactly the record members, whatever else the row object carries (a database row may have more).
const recordOf = (event: AuditEventRecord): AuditEventRecord => ({
  seq: event.seq,
  occurredAt: event.occurredAt,
  actor: event.actor,
  action: event.action,
  subjectType: event.subjectType,
  subjectId: event.subjectId,
  payload: event.payload,
  policyVersion: event.policyVersion,
  prevHash: event.prevHash,
  hash: event.hash,
});
