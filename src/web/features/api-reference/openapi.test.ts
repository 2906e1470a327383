import { describe, expect, it } from 'vitest';
import { groupByTag, readOperations, resolveRefs } from './openapi';

const doc = {
  openapi: '3.0.3',
  tags: [{ name: 'auth', description: 'Sign-in' }, { name: 'organisations' }],
  paths: {
    '/api/v1/organisations': {
      get: {
        tags: ['organisations'],
        summary: 'List',
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Org' } } },
          },
        },
      },
      post: {
        tags: ['organisations'],
        summary: 'Create',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: {},
      },
    },
    '/api/v1/auth/login': { post: { tags: ['auth'], summary: 'Login', responses: {} } },
    '/health': { get: { summary: 'Health', responses: {} } },
  },
  components: {
    schemas: {
      Org: { type: 'object', properties: { parent: { $ref: '#/components/schemas/Org' } } },
    },
  },
};

describe('OpenAPI reading', () => {
  it('lists every operation with its method and path', () => {
    const ops = readOperations(doc);
    expect(ops.map((op) => `${op.method} ${op.path}`).sort()).toEqual([
      'get /api/v1/organisations',
      'get /health',
      'post /api/v1/auth/login',
      'post /api/v1/organisations',
    ]);
    expect(ops.every((op) => /^[A-Za-z0-9_-]+$/.test(op.id))).toBe(true);
  });

  it('groups by tag in declared order with untagged last', () => {
    const groups = groupByTag(doc, readOperations(doc));
    expect(groups.map((g) => g.tag)).toEqual(['auth', 'organisations', null]);
    expect(groups[0]?.description).toBe('Sign-in');
  });

  it('inlines refs but leaves cycles as refs', () => {
    const resolved = resolveRefs({ $ref: '#/components/schemas/Org' }, doc);
    expect(resolved).toEqual({
      type: 'object',
      properties: { parent: { $ref: '#/components/schemas/Org' } },
    });
  });

  it('tolerates garbage', () => {
    expect(readOperations(null)).toEqual([]);
    expect(readOperations({ paths: 'nope' })).toEqual([]);
  });
});
