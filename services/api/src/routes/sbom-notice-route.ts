import { AppError, noticeFileNames, noticeFormats, noticeMediaTypes, renderNotice } from '@clearance/core';
import { noticeOfStoredSbom } from '@clearance/services';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';
import { idParams, readableSbom, sbomReaders } from './sbom-routes.js';

const noticeQuery = z.strictObject({ format: z.enum(noticeFormats).default('text') });

export function addSbomNoticeRoute(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'get',
    path: '/sboms/:id/notice',
    access: { kind: 'roles', roles: sbomReaders },
    // Parses the stored file and reads every finding: cheap once, not in a loop.
    ratePerMinute: 60,
    summary: `The attribution NOTICE of an evaluated SBOM (format=${noticeFormats.join('|')}): components, copyright lines, every license text once`,
    params: idParams,
    // Text, not JSON: nothing for the JSON contract check to read.
    responses: {},
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        const query = noticeQuery.safeParse({ ...req.query });
        if (!query.success) {
          throw new AppError('bad_request', `query ${query.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`, {
            allowedFormats: noticeFormats,
            issues: query.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
          });
        }
        const row = await readableSbom(deps, principalOf(res), req, id);
        const notice = await noticeOfStoredSbom(deps.db, row);
        const format = query.data.format;
        res
          .status(200)
          .type(noticeMediaTypes[format])
          .set('content-disposition', `attachment; filename="${noticeFileNames[format]}"`)
          .send(renderNotice(notice, format));
      },
    ],
  });
}
