import { Router, type RequestHandler } from 'express';
import { summaryQuerySchema, timelineQuerySchema } from '../../src/shared/http/timeline';
import { principal } from '../http/auth-middleware';
import { parse, uuidParam } from '../http/validate';
import type { ServiceContext } from '../services/context';
import { summary, summaryCsv } from '../services/reports.service';
import { teamNow } from '../services/team.service';
import { timeline } from '../services/timeline.service';
import { openFullImage } from '../services/view-urls';

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
  // The full-size image link from a timeline: signed for one viewer, audited, then redirected to the store.
  r.get('/v1/screenshots/:id/full', async (req, res) => {
    const location = await openFullImage(ctx, uuidParam(req.params.id), req.query);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, location);
  });
  return r;
}
