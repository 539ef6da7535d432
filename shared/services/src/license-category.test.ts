import { loadDefaultPolicy } from '@clearance/policy';
import { describe, expect, it } from 'vitest';
import { licenseCategoryLookup } from './license-category.js';

describe('licenseCategoryLookup', () => {
  it('finds the category of an SPDX id, and of the deprecated ids GitHub still reports', async () => {
    const category = licenseCategoryLookup((await loadDefaultPolicy()).licenses);
    expect(category('MIT')).toBe('permissive');
    expect(category('AGPL-3.0-only')).toBe('network-copyleft');
    expect(category('GPL-3.0')).toBe('strong-copyleft');
    expect(category('LGPL-2.1')).toBe('weak-copyleft');
    expect(category('LicenseRef-nobody-knows')).toBeNull();
    expect(category('MIT OR Apache-2.0')).toBeNull();
  });
});
