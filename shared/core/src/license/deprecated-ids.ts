/**
 * Deprecated SPDX ids → the current expression SPDX recommends. The bare GNU
 * ids meant "only" (SPDX 3.0 release notes), and the `-with-…-exception` ids
 * became `… WITH …` pairs. Ids SPDX deprecated without a successor stay as
 * written and are judged like any unknown id (see `deprecatedWithoutSuccessor`).
 */
export const deprecatedIdReplacements: Readonly<Record<string, string>> = {
  'AGPL-1.0': 'AGPL-1.0-only',
  'AGPL-3.0': 'AGPL-3.0-only',
  'BSD-2-Clause-FreeBSD': 'BSD-2-Clause-Views',
  'BSD-2-Clause-NetBSD': 'BSD-2-Clause',
  'GFDL-1.1': 'GFDL-1.1-only',
  'GFDL-1.2': 'GFDL-1.2-only',
  'GFDL-1.3': 'GFDL-1.3-only',
  'GPL-1.0': 'GPL-1.0-only',
  'GPL-2.0': 'GPL-2.0-only',
  'GPL-2.0-with-GCC-exception': 'GPL-2.0-only WITH GCC-exception-2.0',
  'GPL-2.0-with-autoconf-exception': 'GPL-2.0-only WITH Autoconf-exception-2.0',
  'GPL-2.0-with-bison-exception': 'GPL-2.0-only WITH Bison-exception-2.2',
  'GPL-2.0-with-classpath-exception': 'GPL-2.0-only WITH Classpath-exception-2.0',
  'GPL-2.0-with-font-exception': 'GPL-2.0-only WITH Font-exception-2.0',
  'GPL-3.0': 'GPL-3.0-only',
  'GPL-3.0-with-GCC-exception': 'GPL-3.0-only WITH GCC-exception-3.1',
  'GPL-3.0-with-autoconf-exception': 'GPL-3.0-only WITH Autoconf-exception-3.0',
  'LGPL-2.0': 'LGPL-2.0-only',
  'LGPL-2.1': 'LGPL-2.1-only',
  'LGPL-3.0': 'LGPL-3.0-only',
  Nunit: 'zlib-acknowledgement',
  'StandardML-NJ': 'SMLNJ',
  'bzip2-1.0.5': 'bzip2-1.0.6',
  'eCos-2.0': 'GPL-2.0-or-later WITH eCos-exception-2.0',
  wxWindows: 'GPL-2.0-or-later WITH WxWindows-exception-3.1',
};

/** Deprecated by SPDX with no one current expression that means the same. */
export const deprecatedWithoutSuccessor: ReadonlySet<string> = new Set(['Net-SNMP']);

/**
 * GNU-style families whose "or later" is its own id: `GPL-2.0+` and
 * `GPL-2.0-only+` both mean `GPL-2.0-or-later`. Keyed by the version stem.
 */
export const orLaterStem = (id: string): string | null => {
  const match = /^((?:A|L)?GPL-\d\.\d|GFDL-\d\.\d(?:-(?:no-)?invariants)?)(?:-only)?$/.exec(id);
  return match?.[1] ?? null;
};
