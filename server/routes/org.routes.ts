import { Router, type RequestHandler } from 'express';
import {
  createProjectRequestSchema,
  createTaskRequestSchema,
  createTeamRequestSchema,
  createUserRequestSchema,
  updatePolicyRequestSchema,
  updateRetentionRequestSchema,
} from '../../src/shared/http/org';
import { principal } from '../http/auth-middleware';
import { parse, uuidParam } from '../http/validate';
import { createProject, createTask, createTeam, createUser, listUsers } from '../services/directory.service';
import type { ServiceContext } from '../services/context';
import { me, updatePolicy, updateRetention } from '../services/org.service';
import { listProjects } from '../services/projects.service';

export function orgRoutes(ctx: ServiceContext, auth: RequestHandler): Router {
  const r = Router();
  r.get('/v1/me', auth, async (_req, res) => {
    res.json(await me(ctx, principal(res)));
  });
  r.get('/v1/projects', auth, async (_req, res) => {
    res.json(await listProjects(ctx, principal(res)));
  });
  r.put('/v1/org/policy', auth, async (req, res) => {
    const parsed = parse(updatePolicyRequestSchema, req.body, 'body');
    // The contract's partial schema still fills defaults in for absent fields: change only the fields sent.
    const sent = Object.fromEntries(Object.entries(parsed).filter(([field]) => Object.hasOwn(req.body as object, field)));
    res.json(await updatePolicy(ctx, principal(res), sent));
  });
  r.put('/v1/org/retention', auth, async (req, res) => {
    await updateRetention(ctx, principal(res), parse(updateRetentionRequestSchema, req.body, 'body').retentionDays);
    res.status(204).end();
  });
  r.get('/v1/users', auth, async (_req, res) => {
    res.json(await listUsers(ctx, principal(res)));
  });
  r.post('/v1/users', auth, async (req, res) => {
    res.status(201).json(await createUser(ctx, principal(res), parse(createUserRequestSchema, req.body, 'body')));
  });
  r.post('/v1/projects', auth, async (req, res) => {
    res.status(201).json(await createProject(ctx, principal(res), parse(createProjectRequestSchema, req.body, 'body').name));
  });
  r.post('/v1/projects/:id/tasks', auth, async (req, res) => {
    const id = uuidParam(req.params.id);
    res.status(201).json(await createTask(ctx, principal(res), id, parse(createTaskRequestSchema, req.body, 'body').name));
  });
  r.post('/v1/teams', auth, async (req, res) => {
    res.status(201).json(await createTeam(ctx, principal(res), parse(createTeamRequestSchema, req.body, 'body')));
  });
  return r;
}
