import { KeyChain, keyRotationSchema, type KeyRotation } from '@clearance/core';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KEY_ROTATIONS_FILE } from './bundle-layout.js';
import type { BundleManifest } from './manifest.js';

type AddProblem = (kind: 'key-rotations-unreadable', file: string, detail: string) => void;

/**
 * The deployment's key rotations up to the export, from key-rotations.json.
 * A bundle written before rotation existed has no such file: its key chain is
 * its one key.
 */
export async function readKeyRotations(dir: string, manifest: BundleManifest, add: AddProblem): Promise<KeyRotation[]> {
  if (manifest.files[KEY_ROTATIONS_FILE] === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, KEY_ROTATIONS_FILE), 'utf8'));
  } catch (error) {
    // A missing file was reported already by the file check.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') add('key-rotations-unreadable', KEY_ROTATIONS_FILE, 'key-rotations.json is not valid JSON: it was edited or damaged');
    return [];
  }
  const parsed = z.array(keyRotationSchema).max(10_000).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    add('key-rotations-unreadable', KEY_ROTATIONS_FILE, `key-rotations.json is not a list of key rotations: ${issue === undefined ? '' : `${issue.path.join('.')}: ${issue.message}`}`);
    return [];
  }
  return parsed.data;
}

/**
 * The key that signed the manifest: the last of the chain from public-key.pem.
 * Rotations that do not verify are left out here and reported by the chain walk.
 */
export const manifestSigningKey = (firstKey: KeyObject, rotations: readonly KeyRotation[]): KeyObject =>
  rotations.length === 0 ? firstKey : (new KeyChain(firstKey, rotations).last()?.key ?? firstKey);
