// Builds the Fastify application: plugins, request pipeline (auth → validation → handler → errors) and
// every feature module. Used by the server, the CLI's `serve` and the tests (through `inject`).

import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { BODY_LIMIT, registerBodyParsers } from './http/body-parsers.js';
import { registerDashboard } from './http/dashboard-static.js';
import { registerErrorHandling } from './http/error-handler.js';
import { handleFrameworkError, MAX_PATH_PARAM_LENGTH } from './http/framework-errors.js';
import { loggerOptions } from './http/logger.js';
import { registerNulGuard } from './http/nul-guard.js';
import { useJunctionComponentNames } from './http/openapi-names.js';
import { useFastApiStyle } from './http/openapi-style.js';
import { registerPoolShedding } from './http/pool-shedding.js';
import { registerRequestValidation } from './http/request-validation.js';
import { responseSerializerCompiler } from './http/response-serializer.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import auth from './modules/auth/auth.plugin.js';
import { listenForKeyRevocations } from './modules/auth/key-revocation.js';
import { keysRoutes } from './modules/keys/keys.routes.js';
import { labAccountsRoutes } from './modules/lab-accounts/lab-accounts.routes.js';
import { labTestsRoutes } from './modules/lab-tests/lab-tests.routes.js';
import { operatorRoutes } from './modules/operator/operator.routes.js';
import { ordersRoutes } from './modules/orders/orders.routes.js';
import { orgsRoutes } from './modules/orgs/orgs.routes.js';
import { resultsRoutes } from './modules/results/results.routes.js';
import { registerSimulationWorker } from './modules/results/simulation-worker.js';
import { registerMetrics } from './modules/system/metrics.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { teamsRoutes } from './modules/teams/teams.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import labAccountCache from './plugins/lab-account-cache.js';
import labAccountEventsPlugin from './plugins/lab-account-events.js';
import orderEventsPlugin from './plugins/order-events.js';
import outboxPlugin from './plugins/outbox.js';

/** What the application needs from outside. */
export interface AppDependencies {
  config: Config;
  database: DatabaseHandle;
  /** Encode every response with its zod schema and fail on any field outside it (tests). */
  strictResponses?: boolean;
  /** Overrides the logger (tests pass false or a capturing stream). */
  logger?: boolean | Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDependencies;
  }
}

export type App = FastifyInstance;

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(deps.config.logLevel),
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Server timeouts: a slow client must not hold a socket forever.
    requestTimeout: 60_000,
    connectionTimeout: 30_000,
    keepAliveTimeout: 72_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Router-level errors (bad percent-encoding, overlong path parameters) in SPEC.md's error shapes.
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('deps', deps);
  app.setSerializerCompiler(responseSerializerCompiler(deps.strictResponses ?? process.env.LABROUTE_STRICT_RESPONSES === '1') as never);
  // Security headers before every other onRequest hook, so that early answers (401, 403, 503) carry them too.
  registerSecurityHeaders(app);

  // Load shedding first: under overload, answer 503 `overloaded` quickly instead of queueing work.
  await app.register(underPressure, {
    maxEventLoopDelay: deps.config.maxEventLoopDelayMs,
    retryAfter: 1,
  });
  // …and when the PostgreSQL pool already has as many waiters as connections (before auth queries it).
  registerPoolShedding(app, deps.database, deps.config.dbPoolSize);
  registerMetrics(app);
  registerBodyParsers(app);
  await app.register(auth, { db: deps.database.db });
  // Revocations announced by other instances evict this instance's cached principals.
  let stopListening: (() => Promise<void>) | null = null;
  app.addHook('onReady', async () => {
    stopListening = await listenForKeyRevocations(deps.database);
  });
  app.addHook('onClose', async () => {
    await stopListening?.();
  });
  // Lab-account changes made by any instance evict this instance's cached accounts.
  await app.register(labAccountCache, { database: deps.database });
  registerRequestValidation(app);
  // After validation: NUL characters (which PostgreSQL cannot store) are a 422, not a driver 500.
  registerNulGuard(app);
  registerErrorHandling(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Labroute',
        version: '0.1.0',
        description: 'Lab accounts and lab orders, wire-compatible with Junction’s API for this area.',
      },
      components: {
        securitySchemes: {
          apiKeyAuth: { type: 'apiKey', in: 'header', name: 'x-vital-api-key' },
          ManagementKey: { type: 'apiKey', in: 'header', name: 'X-Management-Key' },
          OperatorKey: { type: 'apiKey', in: 'header', name: 'X-Operator-Key' },
          AccessToken: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: (document) => useFastApiStyle(useJunctionComponentNames(createJsonSchemaTransformObject({})(document) as never)),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' }, staticCSP: false });

  // Services the feature modules receive: the outbox (and its consumers' workers) and what changes announce.
  await app.register(outboxPlugin);
  await app.register(orderEventsPlugin);
  await app.register(labAccountEventsPlugin);

  await registerDashboard(app);
  await app.register(systemRoutes);
  await app.register(operatorRoutes, { prefix: '/operator/v1' });
  await app.register(orgsRoutes);
  await app.register(teamsRoutes);
  await app.register(keysRoutes);
  await app.register(labAccountsRoutes);
  await app.register(usersRoutes);
  await app.register(labTestsRoutes);
  await app.register(ordersRoutes);
  await app.register(resultsRoutes);
  registerSimulationWorker(app);
  await app.register(webhooksRoutes);
  return app;
}
