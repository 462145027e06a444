import { z } from 'zod';

/** The JSON Schema sent as response_format; the `$schema` URI is dropped because some servers reject it. */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}
