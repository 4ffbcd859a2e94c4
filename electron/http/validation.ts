import { Ajv, type ValidateFunction } from 'ajv'
import type { DataValidationCxt } from 'ajv/dist/types'
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
 * Each validator is compiled on its route's first request, not when the app starts: compiling
 * them all was some 0.27 s of a start's 2 s of CPU (most routes of a session are never called).
 * A schema Ajv cannot compile then fails that route's requests with a 500 (route-fuzz calls every route).
 */
export function registerValidators(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? exact : coercing
    const validate = lazyValidator(() => ajv.compile(schema))
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

/**
 * A validator that compiles on its first use and then is the compiled one: called with the same
 * arguments, and with the compiled function's `errors` and `schemaEnv` (fastify reads `errors` after a
 * refusal, and passes the parent object to a function with a `schemaEnv`, so Ajv can coerce a root value).
 */
function lazyValidator(compile: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | undefined
  const get = () => (compiled ??= compile())
  const validate = ((data: unknown, context?: DataValidationCxt) => get()(data, context)) as ValidateFunction
  Object.defineProperties(validate, {
    errors: { get: () => get().errors },
    schemaEnv: { get: () => get().schemaEnv },
  })
  return validate
}

/** The integer properties of an object schema, with their minimum (0 when none is given). */
function integerProperties(schema: unknown): [name: string, min: number][] {
  const properties = (schema as { properties?: Record<string, { type?: unknown; minimum?: number }> }).properties ?? {}
  return Object.entries(properties)
    .filter(([, p]) => p.type === 'integer')
    .map(([name, p]) => [name, Math.max(0, p.minimum ?? 0)])
}
