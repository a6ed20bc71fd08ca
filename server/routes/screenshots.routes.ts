import { Router, type RequestHandler } from 'express';
import { createScreenshotRequestSchema } from '../../src/shared/http/screenshots';
import { principal } from '../http/auth-middleware';
import { badRequest, HttpError } from '../errors/http-error';
import { completeBatchEnvelopeSchema, declareBatchEnvelopeSchema, MAX_BATCH_ITEMS } from '../../src/shared/http/screenshot-batch';
import { completeBatch, declareBatch } from '../services/screenshot-batch.service';
import { parse, uuidParam } from '../http/validate';
import type { ServiceContext } from '../services/context';
import { completeScreenshot, createScreenshot, deleteScreenshot, viewScreenshot } from '../services/screenshots.service';
import { openFullImage } from '../services/view-urls';

/** Every /v1/screenshots route: declare, complete, view, delete, and the audited full-size link. */
export function screenshotRoutes(ctx: ServiceContext, auth: RequestHandler): Router {
  const r = Router();
  // Before the :id routes: "batch" is not an id.
  r.post('/v1/screenshots/batch', auth, async (req, res) => {
    const { items } = parse(declareBatchEnvelopeSchema, limitBatch(req.body, 'items'), 'body');
    res.json({ items: await declareBatch(ctx, principal(res), items) });
  });
  r.post('/v1/screenshots/batch/complete', auth, async (req, res) => {
    const { ids } = parse(completeBatchEnvelopeSchema, limitBatch(req.body, 'ids'), 'body');
    res.json({ items: await completeBatch(ctx, principal(res), ids) });
  });
  r.post('/v1/screenshots', auth, async (req, res) => {
    const out = await createScreenshot(ctx, principal(res), parse(createScreenshotRequestSchema, req.body, 'body'));
    res.status(out.status === 'upload' ? 201 : 200).json(out);
  });
  r.post('/v1/screenshots/:id/complete', auth, async (req, res) => {
    if (req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0) throw badRequest('complete takes no body');
    res.json(await completeScreenshot(ctx, principal(res), uuidParam(req.params.id)));
  });
  r.get('/v1/screenshots/:id', auth, async (req, res) => {
    res.json(await viewScreenshot(ctx, principal(res), uuidParam(req.params.id)));
  });
  r.delete('/v1/screenshots/:id', auth, async (req, res) => {
    await deleteScreenshot(ctx, principal(res), uuidParam(req.params.id));
    res.status(204).end();
  });
  // The full-size image link from a timeline: signed for one viewer (no bearer), audited, then redirected to the store.
  r.get('/v1/screenshots/:id/full', async (req, res) => {
    const location = await openFullImage(ctx, uuidParam(req.params.id), req.query);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, location);
  });
  return r;
}

function limitBatch(body: unknown, field: 'items' | 'ids'): unknown {
  const list = (body as Record<string, unknown> | null)?.[field];
  if (Array.isArray(list) && list.length > MAX_BATCH_ITEMS) {
    throw new HttpError(413, 'Content Too Large', `a batch carries at most ${MAX_BATCH_ITEMS} ${field}; this one has ${list.length}: split it`);
  }
  return body;
}
