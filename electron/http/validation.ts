import { Ajv, type ValidateFunction } from 'ajv'
import type { DataValidationCxt } from 'ajv/dist/types'
import type { FastifyInstance } from 'fastify'
import { invalid, type AppError } from '../../shared/errors'
import { badIdMessage, idValue } from './ids'
import { badInteger, isPlainInteger, type IntegerRange } from './query'

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
 * to a number (#9 §6). An integer query param must be plain decimal digits (query.ts isPlainInteger,
 * as every dialect reads its own), checked before Ajv coerces it: `limit=0x10`, `2e0`, `+1` or ` 5`
 * is refused with invalid `bad_number` naming the parameter and its range; the range itself is Ajv's.
 * Each validator is compiled on its route's first request, not when the app starts: compiling
 * them all was some 0.27 s of a start's 2 s of CPU (most routes of a session are never called).
 * A schema Ajv cannot compile then fails that route's requests with a 500 (route-fuzz calls every route).
 */
export function registerValidators(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? exact : coercing
    const validate = lazyValidator(() => ajv.compile(schema))
    const integers = httpPart === 'params' || httpPart === 'querystring' ? integerProperties(schema) : []
    if (!integers.length) return validate
    if (httpPart === 'params') {
      return checkedFirst(validate, (data) => {
        for (const [name, { min }] of integers) {
          const raw = data?.[name]
          if (raw !== undefined && idValue(raw, Math.max(0, min)) === undefined) return invalid('bad_id', badIdMessage(raw, name, Math.max(0, min)), name)
        }
      })
    }
    return checkedFirst(validate, (data) => {
      for (const [name, range] of integers) {
        const raw = data?.[name]
        // an empty value is left to the schema (its default, or its refusal), as before
        if (typeof raw === 'string' && raw !== '' && !isPlainInteger(raw, range.min < 0)) return badInteger(name, range, raw)
      }
    })
  })
}

/**
 * `validate` with `check` run first: check's error refuses the data before Ajv coerces it. The result
 * keeps validate's `errors`, which fastify reads when a validator answers false (without them Ajv's
 * refusal would be lost and the data let through).
 */
function checkedFirst(validate: ValidateFunction, check: (data: Record<string, unknown> | undefined) => AppError | undefined): ValidateFunction {
  const checked = ((data: unknown) => {
    const error = check(data as Record<string, unknown> | undefined)
    return error ? { error } : validate(data)
  }) as unknown as ValidateFunction
  Object.defineProperty(checked, 'errors', { get: () => validate.errors })
  return checked
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

/** The integer properties of an object schema with their range (JavaScript's exact integers where the schema sets no bound). */
function integerProperties(schema: unknown): [name: string, range: IntegerRange][] {
  const properties = (schema as { properties?: Record<string, { type?: unknown; minimum?: number; maximum?: number }> }).properties ?? {}
  return Object.entries(properties)
    .filter(([, p]) => p.type === 'integer')
    .map(([name, p]) => [name, { min: p.minimum ?? Number.MIN_SAFE_INTEGER, max: p.maximum ?? Number.MAX_SAFE_INTEGER }])
}
