import { Ajv } from 'ajv'
import type { FastifyInstance } from 'fastify'

/**
 * Query strings and path params arrive as text, so they are coerced to the schema's types;
 * JSON bodies are not: `"code": 5` is an error naming the field, not silently the string "5".
 */
export function registerValidators(app: FastifyInstance): void {
  const coercing = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false })
  const exact = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false, strict: false })
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? exact : coercing).compile(schema))
}
