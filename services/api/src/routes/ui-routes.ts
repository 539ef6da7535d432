import type { RouteTable } from '../http/route-table.js';
import { appShellHtml, appShellScript } from '../ui/app-shell.js';

export function addUiRoutes(table: RouteTable): void {
  table.add({
    method: 'get',
    path: '/',
    access: { kind: 'public' },
    summary: 'The web UI (a shell without data; it signs in with a token)',
    handlers: [
      (_req, res) => {
        res.type('html').send(appShellHtml);
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/ui/app.js',
    access: { kind: 'public' },
    summary: 'The web UI script',
    handlers: [
      (_req, res) => {
        res.type('text/javascript').send(appShellScript);
      },
    ],
  });
}
