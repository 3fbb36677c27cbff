// Logging without secrets or patient data: request logs carry the route pattern, never the raw URL (paths
// and query strings can hold client_user_id, names or dates of birth), and key headers are censored.
import type { FastifyRequest } from 'fastify';

export function loggerOptions(level: string): Record<string, unknown> {
  return {
    level,
    redact: {
      paths: [
        'req.headers["x-vital-api-key"]',
        'req.headers["x-management-key"]',
        'req.headers["x-vital-org-key"]',
        'req.headers["x-operator-key"]',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(request: FastifyRequest) {
        return { method: request.method, route: request.routeOptions?.url ?? 'unknown', id: request.id };
      },
    },
  };
}
