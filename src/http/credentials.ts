// Where a request carries its credentials: Junction's team API key (x-vital-api-key) or access token
// (Authorization: Bearer), the Management API's key (X-Management-Key, or Junction's x-vital-org-key) and
// the operator's key (X-Operator-Key). Reading them is HTTP; what they mean is the auth module's business.
import type { FastifyRequest } from 'fastify';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The X-Operator-Key header, if sent. */
export function operatorKeyOf(request: FastifyRequest): string | undefined {
  return header(request, 'x-operator-key');
}

/** The management key: X-Management-Key, else Junction's x-vital-org-key. */
export function managementKeyOf(request: FastifyRequest): string | undefined {
  return header(request, 'x-management-key') ?? header(request, 'x-vital-org-key');
}

/** The x-vital-api-key header, if sent. */
export function teamApiKeyOf(request: FastifyRequest): string | undefined {
  return header(request, 'x-vital-api-key');
}

/** The token of an `Authorization: Bearer <token>` header, if sent in that form. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const value = header(request, 'authorization');
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}
