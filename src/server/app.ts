import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RealtimeHub } from '#modules/realtime/realtime.hub.ts';
import { authenticate } from './authenticate.ts';
import type { Services } from './context.ts';
import { handleError } from './http-errors.ts';
import type { App } from './http-types.ts';
import { registerRoutes } from './routes.ts';

export interface AppOptions {
  services: Services;
  hub: RealtimeHub;
  /** Folder of the built web app; served with an SPA fallback when it exists. */
  webDir?: string;
  /** Per-process request rate limit per client address (requests per minute). */
  rateLimitPerMinute?: number;
}

export const defaultWebDir = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Builds the HTTP application. Used by `wachtpost serve` and, through `inject()`, by the tests. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { services } = options;
  // pino's Logger is a FastifyBaseLogger; typing the instance with the base logger keeps App one type.
  const logger: FastifyBaseLogger = services.log;
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: services.config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    // A path segment may be long enough for a signed link from a mail (its claims travel in it), no longer.
    routerOptions: { maxParamLength: 512 },
    // Errors the router raises before any route runs (a malformed or over-long URL) get the same error shape.
    frameworkErrors: (error, request, reply) => void handleError(error, request, reply),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  // Deny by default: an API route that does not declare its access cannot even be registered.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (url.startsWith('/api/v1') && !route.config?.access) {
      throw new Error(`Route ${String(route.method)} ${url} declares no access (config.access): every API route must.`);
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine sets style attributes at run time; scripts stay strictly same-origin.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: services.config.secure ? [] : null,
      },
    },
    strictTransportSecurity: services.config.secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    allowList: (req) => req.url === '/healthz' || req.url === '/readyz',
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Wachtpost API', version: '1', description: 'The API of Wachtpost. Authenticate with a session cookie (browser) or `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'wp_session' } } },
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access ?? { auth: 'public' as const, permission: 'none' as const };
    await authenticate(request, reply, services, access);
  });

  await app.register(async (api) => registerRoutes(api as App, options), { prefix: '' });

  app.get('/api/openapi.json', { config: { access: { auth: 'public', permission: 'none' } }, schema: { hide: true } }, async () => app.swagger());

  const webDir = options.webDir ?? defaultWebDir;
  const hasWeb = existsSync(`${webDir}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0]!;
    // Machine interfaces (the API, TAXII, the MISP feed) answer unknown paths with an error, never the web app's page.
    if (/^\/(api|taxii2|feeds)(\/|$)/.test(path) || request.method !== 'GET' || !hasWeb) {
      const slash = path.startsWith('/taxii2') && !path.endsWith('/') ? ` TAXII paths end in a slash: ${path}/` : '';
      return reply.status(404).send({ error: { code: 'route_not_found', message: `There is no ${request.method} ${path}.${slash}` } });
    }
    // Client-side routes of the web app all load its index page.
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
