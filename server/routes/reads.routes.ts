import { Router, type RequestHandler } from 'express';
import { summaryQuerySchema, timelineQuerySchema } from '../../src/shared/http/timeline';
import { principal } from '../http/auth-middleware';
import { forbidden, notFound } from '../http/http-error';
import { parse, uuidParam } from '../http/validate';
import { audit } from '../services/audit';
import type { ServiceContext } from '../services/context';
import { summary, summaryCsv } from '../services/reports.service';
import { teamNow } from '../services/team.service';
import { timeline } from '../services/timeline.service';
import { checkFullUrl } from '../services/view-urls';
import { findScreenshot } from '../store/screenshots.repository';

export function readRoutes(ctx: ServiceContext, auth: RequestHandler): Router {
  const r = Router();
  r.get('/v1/timeline', auth, async (req, res) => {
    res.json(await timeline(ctx, principal(res), parse(timelineQuerySchema, req.query, 'query')));
  });
  r.get('/v1/team/now', auth, async (_req, res) => {
    res.json(await teamNow(ctx, principal(res)));
  });
  r.get('/v1/reports/summary', auth, async (req, res) => {
    const q = parse(summaryQuerySchema, req.query, 'query');
    const out = await summary(ctx, principal(res), q);
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="stint-${q.groupBy}-${q.from}-${q.to}.csv"`);
      res.send(summaryCsv(out));
      return;
    }
    res.json(out);
  });
  // The full-size image link from a timeline: signed for one viewer, audited, then redirected to the store.
  r.get('/v1/screenshots/:id/full', async (req, res) => {
    const id = uuidParam(req.params.id);
    const check = checkFullUrl(ctx, id, req.query);
    if (check === 'invalid') throw forbidden('invalid signature');
    if (check === 'expired') throw forbidden('this link has expired: reload the timeline');
    const row = await ctx.db.inOrg(check.orgId, async (tx) => {
      const shot = await findScreenshot(tx, id);
      if (!shot || shot.state === 'pending') throw notFound('no such screenshot');
      await audit(tx, { orgId: check.orgId, userId: check.viewerId }, 'screenshot.view_full', 'screenshot', id, { userId: shot.user_id });
      return shot;
    });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await ctx.blobs.presignGet(row.object_key, 60, ctx.now()));
  });
  return r;
}
