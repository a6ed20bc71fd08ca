import { describe, expect, it } from 'vitest';
import { api, login } from './test-support/api';
import { useTestServer } from './test-support/fixture';

const fx = useTestServer();

describe('users, teams, projects and tasks', () => {
  it('an admin creates a user who can sign in; employees and managers cannot create users; duplicates are 409', async () => {
    const body = { email: 'new.person@example.test', name: 'New Person', role: 'employee', timeZone: 'Asia/Kathmandu', password: 'a-long-enough-password' };
    expect((await fx.as('manager').post('/v1/users', body)).status).toBe(403);
    expect((await fx.as('employee').post('/v1/users', body)).status).toBe(403);
    const created = await fx.as('admin').post<{ id: string; timeZone: string }>('/v1/users', body);
    expect(created.status).toBe(201);
    expect(created.body.timeZone).toBe('Asia/Kathmandu');
    const session = await login(fx.srv.url, body.email, body.password);
    expect((await api(fx.srv.url, session.accessToken).get<{ user: { id: string } }>('/v1/me')).body.user.id).toBe(created.body.id);
    expect((await fx.as('admin').post('/v1/users', { ...body, email: 'NEW.person@example.test' })).status).toBe(409);
    expect((await fx.as('admin').post('/v1/users', { ...body, email: 'x@example.test', role: 'owner' })).status).toBe(400);
    expect((await fx.as('admin').post('/v1/users', { ...body, email: 'y@example.test', timeZone: 'Mars/Base' })).status).toBe(400);
  });

  it('the same new user created four times at once: one 201, the others 409, never a 500', async () => {
    const body = { email: 'twice@example.test', name: 'Twice', role: 'employee', timeZone: 'UTC' };
    const replies = await Promise.all(Array.from({ length: 4 }, () => fx.as('admin').post('/v1/users', body)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it('GET /v1/users lists whom the caller may see', async () => {
    const ids = async (who: 'employee' | 'manager' | 'admin') => (await fx.as(who).get<{ users: Array<{ id: string }> }>('/v1/users')).body.users.map((u) => u.id);
    const s = fx.srv.seed;
    expect(await ids('employee')).toEqual([s.employee.id]);
    expect((await ids('manager')).sort()).toEqual([s.manager.id, s.employee.id, s.employee2.id].sort());
    expect(await ids('admin')).toEqual(expect.arrayContaining([s.admin.id, s.outsider.id]));
  });

  it('a new team gives its manager sight of its members', async () => {
    const s = fx.srv.seed;
    const timeline = `/v1/timeline?userId=${s.outsider.id}&date=2025-01-01&tz=UTC`;
    expect((await fx.as('manager').get(timeline)).status).toBe(404);
    expect((await fx.as('manager').post('/v1/teams', { name: 'B', managerIds: [s.manager.id], memberIds: [s.outsider.id] })).status).toBe(403);
    const team = await fx.as('admin').post('/v1/teams', { name: 'B', managerIds: [s.manager.id], memberIds: [s.outsider.id] });
    expect(team.status).toBe(201);
    expect((await fx.as('manager').get(timeline)).status).toBe(200);
    const other = await fx.srv.seedOrg();
    expect((await fx.as('admin').post('/v1/teams', { name: 'C', memberIds: [other.employee.id] })).status).toBe(404);
  });

  it('admins and managers add projects and tasks; employees see them in /v1/projects', async () => {
    expect((await fx.as('employee').post('/v1/projects', { name: 'Nope' })).status).toBe(403);
    const p = await fx.as('manager').post<{ id: string }>('/v1/projects', { name: 'Mobile app' });
    expect(p.status).toBe(201);
    const t = await fx.as('admin').post<{ id: string }>(`/v1/projects/${p.body.id}/tasks`, { name: 'Login screen' });
    expect(t.status).toBe(201);
    expect((await fx.as('admin').post('/v1/projects/00000000-0000-4000-8000-000000000000/tasks', { name: 'x' })).status).toBe(404);
    const list = await fx.as('employee').get<{ projects: Array<{ id: string; name: string; tasks: Array<{ id: string }> }> }>('/v1/projects');
    expect(list.body.projects.find((x) => x.id === p.body.id)?.tasks.map((x) => x.id)).toEqual([t.body.id]);
  });
});
