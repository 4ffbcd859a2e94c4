import { Ajv } from 'ajv'
import type { FastifyInstance } from 'fastify'
import { invalid } from '../../shared/errors'
import { badIdMessage, idValue } from './ids'

// One pair for the process: Ajv keeps what it compiled by schema object, and the route schemas are
// module constants, so an app started again in the same process (a restart, each test file's app)
// reuses the validators instead of compiling some hundred schemas again (most of a start's CPU).
// `verbose` puts the failing keyword's schema beside each error, so a refusal can say what the field
// allows in words (native/errors.ts fromValidation).
const coercing = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false, verbose: true })
const exact = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false, strict: false, verbose: true })

/**
 * Query strings and path params arrive as text, so they are coerced to the schema's types;
 * JSON bodies are not: `"code": 5` is an error naming the field, not silently the string "5".
 * An integer path param is an id and is read by ids.ts first: Ajv would coerce `0x10` or `1e1`
 * to a number (#9 §6).
 */
export function registerValidators(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const validate = (httpPart === 'body' ? exact : coercing).compile(schema)
    const ids = httpPart === 'params' ? integerProperties(schema) : []
    if (!ids.length) return validate
    return (data: unknown) => {
      for (const [name, min] of ids) {
        const raw = (data as Record<string, unknown> | undefined)?.[name]
        if (raw !== undefined && idValue(raw, min) === undefined) return { error: invalid('bad_id', badIdMessage(raw, name, min), name) }
      }
      return validate(data)
    }
  })
}

/** The integer properties of an object schema, with their minimum (0 when none is given). */
function integerProperties(schema: unknown): [name: string, min: number][] {
  const properties = (schema as { properties?: Record<string, { type?: unknown; minimum?: number }> }).properties ?? {}
  return Object.entries(properties)
    .filter(([, p]) => p.type === 'integer')
    .map(([name, p]) => [name, Math.max(0, p.minimum ?? 0)])
}
