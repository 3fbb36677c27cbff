// Response serialization. Production serializes the allow-listed view objects the use cases build with plain
// JSON.stringify (zod encoding every field of a 50-order page costs more than the database). Tests run in
// strict mode: every response is encoded with its zod schema AND must equal its plain serialization, so an
// off-contract field — missing, extra or mistyped — fails loudly wherever it hides.
import { isDeepStrictEqual } from 'node:util';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { createSerializerCompiler } from 'fastify-type-provider-zod';

const zodSerializer = createSerializerCompiler({});

export function responseSerializerCompiler(strict: boolean): FastifySerializerCompiler<unknown> {
  if (!strict) return () => (data) => JSON.stringify(data);
  return (route) => {
    const encode = zodSerializer(route as never);
    return (data) => {
      const encoded = encode(data);
      const plain = JSON.stringify(data);
      if (!isDeepStrictEqual(JSON.parse(encoded), JSON.parse(plain))) {
        throw new Error(`${route.method} ${route.url}: response has fields outside its schema: ${plain.slice(0, 300)}`);
      }
      return encoded;
    };
  };
}
