import { Ajv } from 'ajv'
import type { FastifyInstance } from 'fastify'

// One pair for the process: Ajv keeps what it compiled by schema object, and the route schemas are
// module constants, so an app started again in the same process (a restart, each test file's app)
// reuses the validators instead of compiling some hundred schemas again (most of a start's CPU).
const coercing = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false })
const exact = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false, strict: false })

/**
 * Query strings and path params arrive as text, so they are coerced to the schema's types;
 * JSON bodies are not: `"code": 5` is an error naming the field, not silently the string "5".
 */
export function registerValidators(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? exact : coercing).compile(schema))
}
