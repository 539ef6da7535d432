import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the web UI's build output lives: `@clearance/web` is a workspace
 * package built by Vite before this one (turbo's ^build), so its dist/ is
 * found through the package, wherever the repository or image puts it.
 */
export const webDistDir = (): string => join(dirname(createRequire(import.meta.url).resolve('@clearance/web/package.json')), 'dist');
