import { Router, type Response } from 'express';
import type { FsBlobStore } from '../store/blob/fs-blob-store';
import { sendProblem } from '../http/problem';
import { SIGNED_GET_CACHE_CONTROL } from '../store/blob/cache-policy';

/** The fs driver's stand-in for S3: signed, expiring PUT and GET of object bytes under /blobs/. */
export function blobRoutes(store: FsBlobStore): Router {
  const r = Router();
  const keyOf = (parts: unknown) => (Array.isArray(parts) ? parts.join('/') : String(parts));
  const deny = (res: Response, status: number, code: string, message: string) =>
    sendProblem(res, { type: `urn:stint:problem:${code}`, title: code, status, detail: message });

  r.put('/blobs/*key', async (req, res) => {
    const check = store.check('PUT', keyOf(req.params.key), req.query, {
      'content-length': req.headers['content-length'],
      'content-md5': req.get('content-md5'),
      'content-type': req.headers['content-type'],
    });
    if (!check.ok) return deny(res, check.status, check.code, check.message);
    const outcome = await store.receive(check.key, req, check.length ?? 0, check.md5 ?? '');
    if (outcome === 'BadDigest') return deny(res, 400, 'BadDigest', 'the body does not match Content-MD5');
    if (outcome === 'IncompleteBody') return deny(res, 400, 'IncompleteBody', 'the body does not match Content-Length');
    res.setHeader('ETag', `"${Buffer.from(check.md5 ?? '', 'base64').toString('hex')}"`);
    res.status(200).end();
  });

  r.get('/blobs/*key', async (req, res) => {
    const check = store.check('GET', keyOf(req.params.key), req.query, {});
    if (!check.ok) return deny(res, check.status, check.code, check.message);
    // As S3 answers a signed GET: cacheable by the viewer until the URL expires, not longer.
    res.setHeader('Cache-Control', SIGNED_GET_CACHE_CONTROL);
    res.setHeader('Expires', new Date(Number(req.query.expires) * 1000).toUTCString());
    // The window shows these images from its own origin (the agent's loopback port, app://), as it
    // shows S3's: the signed URL is the permission, so helmet's same-origin default would only block it.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.sendFile(store.filePath(check.key), { dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) deny(res, 404, 'NoSuchKey', 'no such object');
    });
  });
  return r;
}
