import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as auth from '../../src/shared/http/auth';
import * as org from '../../src/shared/http/org';
import * as shots from '../../src/shared/http/screenshots';
import * as batch from '../../src/shared/http/screenshot-batch';
import * as sync from '../../src/shared/http/push';
import * as timeline from '../../src/shared/http/timeline';
import * as privacy from '../../src/shared/http/privacy';
import * as fleet from '../../src/shared/http/fleet';
import { problemSchema, PROBLEM_CONTENT_TYPE } from '../../src/shared/problem';
import { updateChannelSchema } from '../../src/shared/update-channel';

type Method = RouteConfig['method'];

/** The OpenAPI document, generated from the same zod contracts the routes parse with. */
export function openApiDocument(): object {
  const reg = new OpenAPIRegistry();
  const problem = { description: 'problem details (RFC 9457)', content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const add = (method: Method, path: string, summary: string, o: { body?: z.ZodType; query?: z.ZodObject; reply?: z.ZodType; status?: number; secured?: boolean }) => {
    reg.registerPath({
      method,
      path,
      summary,
      ...(o.secured === false ? {} : { security: [{ bearer: [] }] }),
      request: {
        ...(o.body ? { body: { required: true, ...json(o.body) } } : {}),
        ...(o.query ? { query: o.query } : {}),
      },
      responses: {
        [o.status ?? 200]: o.reply ? { description: 'ok', ...json(o.reply) } : { description: 'no content' },
        '4XX': problem,
      },
    });
  };
  reg.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  add('post', '/v1/auth/login', 'Sign in with email and password', { body: auth.loginRequestSchema, reply: auth.tokenResponseSchema, secured: false });
  add('post', '/v1/auth/refresh', 'Rotate a refresh token', { body: auth.refreshRequestSchema, reply: auth.tokenResponseSchema, secured: false });
  add('post', '/v1/auth/logout', 'Revoke a refresh token family', { body: auth.logoutRequestSchema, status: 204, secured: false });
  add('post', '/v1/auth/device', 'Exchange a device credential for an access token', { body: auth.deviceTokenRequestSchema, reply: auth.tokenResponseSchema, secured: false });
  add('post', '/v1/devices/enrollment-tokens', 'Create an enrollment token (admin)', { body: auth.createEnrollmentTokenRequestSchema, reply: auth.enrollmentTokenResponseSchema, status: 201 });
  add('get', '/v1/devices/enrollment-tokens', 'List the org\'s enrollment tokens (admin)', { reply: auth.enrollmentTokenListResponseSchema });
  add('delete', '/v1/devices/enrollment-tokens/{id}', 'Revoke an enrollment token (admin)', { status: 204 });
  add('post', '/v1/devices/enroll', 'Enroll a device with an enrollment token', { body: auth.enrollRequestSchema, reply: auth.enrollResponseSchema, status: 201, secured: false });
  add('get', '/v1/devices', 'List devices', { reply: auth.deviceListResponseSchema });
  add('delete', '/v1/devices/{id}', 'Revoke a device', { status: 204 });
  add('get', '/v1/fleet', "The org's devices with version, last seen, records waiting on each, dead letters and policy file errors (admin)", { reply: fleet.fleetResponseSchema });
  add('get', '/v1/me', 'Who am I, my org and its capture policy', { reply: org.meResponseSchema });
  add('get', '/v1/projects', 'Projects and tasks', { reply: org.projectListResponseSchema });
  add('get', '/v1/users', 'Users the caller may see', { reply: org.userListResponseSchema });
  add('post', '/v1/users', 'Create a user (admin)', { body: org.createUserRequestSchema, reply: auth.userSummarySchema, status: 201 });
  add('post', '/v1/projects', 'Create a project (admin, manager)', { body: org.createProjectRequestSchema, reply: org.projectSchema, status: 201 });
  add('post', '/v1/projects/{id}/tasks', 'Create a task (admin, manager)', { body: org.createTaskRequestSchema, reply: org.taskSchema, status: 201 });
  add('post', '/v1/teams', 'Create a team (admin)', { body: org.createTeamRequestSchema, reply: org.teamSchema, status: 201 });
  add('put', '/v1/org/policy', 'Change the capture policy (admin)', { body: org.updatePolicyRequestSchema, reply: org.meResponseSchema.shape.policy });
  add('put', '/v1/org/retention', 'Change screenshot retention (admin)', { body: org.updateRetentionRequestSchema, status: 204 });
  add('post', '/v1/sync/push', 'Push a batch of ops (idempotent per op id)', { body: sync.pushRequestSchema, reply: sync.pushResponseSchema });
  add('post', '/v1/screenshots', 'Declare a screenshot, get a presigned PUT', { body: shots.createScreenshotRequestSchema, reply: shots.createScreenshotResponseSchema, status: 201 });
  add('post', '/v1/screenshots/batch', 'Declare up to 100 screenshots, answered per item (413 above 100)', { body: batch.declareBatchRequestSchema, reply: batch.declareBatchResponseSchema });
  add('post', '/v1/screenshots/batch/complete', 'Confirm up to 100 uploads, answered per item; verified asynchronously', { body: batch.completeBatchRequestSchema, reply: batch.completeBatchResponseSchema });
  add('post', '/v1/screenshots/{id}/complete', 'Confirm an upload', { reply: shots.completeScreenshotResponseSchema });
  add('get', '/v1/screenshots/{id}', 'One screenshot with signed URLs (audited)', { reply: shots.screenshotViewSchema });
  add('delete', '/v1/screenshots/{id}', 'Delete a screenshot', { status: 204 });
  add('get', '/v1/timeline', 'A user-day as 10-minute slots', { query: timeline.timelineQuerySchema, reply: timeline.timelineResponseSchema });
  add('get', '/v1/team/now', 'Who is tracking now', { reply: timeline.teamNowResponseSchema });
  add('get', '/v1/reports/summary', 'Totals by user, project or day (JSON or CSV)', { query: timeline.summaryQuerySchema, reply: timeline.summaryResponseSchema });
  add('get', '/v1/users/{id}/export', 'Export a user\'s data (GDPR)', { reply: privacy.userExportSchema });
  add('delete', '/v1/users/{id}/data', 'Erase a user\'s data (GDPR)', { reply: privacy.eraseResponseSchema });
  add('get', '/v1/audit', 'Audit log (admin)', { query: privacy.auditQuerySchema, reply: privacy.auditResponseSchema });
  reg.registerPath({
    method: 'get',
    path: '/updates/{channel}/{file}',
    summary: 'Update feed (electron-updater generic provider): a latest*.yml, or a 302 to an artefact in the blob store',
    request: { params: z.object({ channel: updateChannelSchema, file: z.string() }) },
    responses: {
      200: { description: 'the channel file (latest.yml, latest-mac.yml, latest-linux.yml), Cache-Control: public, max-age=60', content: { 'text/yaml': { schema: z.string() } } },
      302: { description: 'Location: a signed store URL of the artefact (valid an hour; the bytes are immutable)' },
      '4XX': problem,
    },
  });
  return new OpenApiGeneratorV31(reg.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Stint API', version: '1' },
  });
}
