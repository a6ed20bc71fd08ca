import { Router, type RequestHandler } from 'express';
import { summaryQuerySchema, timelineQuerySchema } from '../../src/shared/http/timeline';
import { principal } from '../http/auth-middleware';
import { parse } from '../http/validate';
import type { ServiceContext } from '../services/context';
import { summary, summaryCsv } from '../services/reports.service';
import { teamNow } from '../services/team.service';
import { timeline } from '../services/timeline.service';

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
  return r;
}
