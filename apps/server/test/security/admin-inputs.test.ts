/**
 * Findings 6 and 7 of the security review, through the HTTP API: ward and bed names that a
 * spreadsheet would read as formulas, and settings keys that are no setting (`__proto__`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { beds, settings, wards } from '../../src/db/schema.ts';
import { makeUser, makeWard } from '../../src/test-support.ts';
import { errorCodeOf, mutation, signIn, testServer, type TestServer } from './support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

async function asAdmin() {
  const server = await testServer();
  servers.push(server);
  const { wardId } = makeWard(server.db, 'Neuro A');
  await makeUser(server.db, ['admin'], [], 'admin');
  const cookie = await signIn(server, 'admin');
  return { server, cookie, wardId };
}

describe('names a spreadsheet would read as a formula', () => {
  it.each(['=HYPERLINK("http://evil.example","x")', '+1', '-cmd', '@SUM(A1)'])(
    'refuses the ward name %s, naming the field, and changes nothing',
    async (name) => {
      const { server, cookie } = await asAdmin();
      const response = await mutation(server, 'admin.wards.create', { name }, { cookie });
      expect(errorCodeOf(response)).toBe('BAD_REQUEST');
      expect(response.body).toContain('name');
      expect(response.body).toContain('formula');
      expect(server.db.select().from(wards).all()).toHaveLength(1);
    },
  );

  it('refuses such a bed label and such a rename', async () => {
    const { server, cookie, wardId } = await asAdmin();
    const before = server.db.select().from(beds).all().length;
    const bed = await mutation(server, 'admin.beds.add', { wardId, label: '=1+1' }, { cookie });
    expect(errorCodeOf(bed)).toBe('BAD_REQUEST');
    expect(bed.body).toContain('label');
    const list = await mutation(
      server,
      'admin.wards.create',
      { name: 'Neuro B', bedLabels: ['01', '@02'] },
      { cookie },
    );
    expect(errorCodeOf(list)).toBe('BAD_REQUEST');
    const rename = await mutation(
      server,
      'admin.wards.rename',
      { wardId, expectedVersion: 1, name: '-Neuro' },
      { cookie },
    );
    expect(errorCodeOf(rename)).toBe('BAD_REQUEST');
    expect(server.db.select().from(beds).all()).toHaveLength(before);
    expect(
      server.db
        .select()
        .from(wards)
        .all()
        .map((w) => w.name),
    ).toEqual(['Neuro A']);
  });

  it('still takes a name with those characters inside it', async () => {
    const { server, cookie } = await asAdmin();
    const response = await mutation(
      server,
      'admin.wards.create',
      { name: 'Neuro A-East', bedLabels: ['1+', 'B@2'] },
      { cookie },
    );
    expect(response.statusCode).toBe(200);
  });
});

describe('admin.settings.update', () => {
  it.each(['constructor', 'notASetting'])(
    'refuses the unknown key %s by name and saves nothing',
    async (key) => {
      const { server, cookie } = await asAdmin();
      const payload = `{"json":{"expectedVersion":0,"settings":{"romDeclineDegrees":12,"${key}":{"polluted":true}}}}`;
      const response = await server.app.inject({
        method: 'POST',
        url: '/trpc/admin.settings.update',
        headers: {
          host: 'ward.example',
          origin: 'http://ward.example',
          'content-type': 'application/json',
          cookie,
        },
        payload,
      });
      expect(errorCodeOf(response)).toBe('BAD_REQUEST');
      expect(response.body).toContain(`settings.${key}: is not a known setting`);
      expect(server.db.select().from(settings).all()).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it.each(['"__proto__"', '"\\u005f_proto__"'])(
    'refuses a %s key before any procedure runs, and saves nothing',
    async (key) => {
      const { server, cookie } = await asAdmin();
      const payload = `{"json":{"expectedVersion":0,"settings":{"romDeclineDegrees":12,${key}:{"polluted":true}}}}`;
      const response = await server.app.inject({
        method: 'POST',
        url: '/trpc/admin.settings.update',
        headers: {
          host: 'ward.example',
          origin: 'http://ward.example',
          'content-type': 'application/json',
          cookie,
        },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('__proto__');
      expect(server.db.select().from(settings).all()).toEqual([]);
      const asQuery = await server.app.inject({
        method: 'GET',
        url: `/trpc/auth.me?input=${encodeURIComponent(`{"json":{${key}:1}}`)}`,
        headers: { host: 'ward.example', cookie },
      });
      expect(asQuery.statusCode).toBe(400);
    },
  );
});
