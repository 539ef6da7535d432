// tsc writes dist/main.js without the executable bit; `node dist/main.js` does
// not need it, but running the file itself (its #! line) does.
import { chmodSync } from 'node:fs';
import { URL } from 'node:url';

chmodSync(new URL('../dist/main.js', import.meta.url), 0o755);
