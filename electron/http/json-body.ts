import type { FastifyInstance } from 'fastify'
import { errorCodes } from 'fastify'
import { isAppError } from '../../shared/errors'
import { checkJsonShape, MAX_JSON_DEPTH } from '../../shared/json-limits'
import { INLINE_JSON_CHARS, parseClientJsonOffThread } from '../services/json-parser'
import { bodyOwner } from './body-rate'
import { notJsonMessage, parseClientJson, prototypeKeyRefused } from './client-json'

export { checkJsonShape, MAX_JSON_DEPTH, parseClientJson, prototypeKeyRefused }

/** fastify's refusal of a body that is not JSON (each dialect maps it), saying where the parser stopped (notJsonMessage). */
function notJsonBody(e: SyntaxError): Error {
  const err = new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY()
  err.message = notJsonMessage('body', e)
  return err
}

/**
 * The app's JSON body parser: fastify's own (which refuses `__proto__` and `constructor.prototype`
 * keys), after checkJsonShape (depth, the count of lists and maps, and of keys: refused before they are
 * parsed); a POST without a body (cancel, rerun) is fine even when labelled JSON. A body over
 * INLINE_JSON_CHARS is parsed in a worker thread (services/json-parser.ts), with the same refusals.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body)
    if (!text.trim()) return done(null, undefined)
    if (text.length > INLINE_JSON_CHARS) {
      // a long body in a worker thread (#9 §2), refused as below: a bad one as fastify's parser refuses it
      const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text // fastify's parser (secure-json-parse) skips a byte order mark
      parseClientJsonOffThread(unmarked, 'body', { owner: bodyOwner(req) }).then(
        ({ value }) => done(null, value),
        (e: Error) => done(e instanceof SyntaxError ? notJsonBody(e) : e, undefined),
      )
      return
    }
    try {
      checkJsonShape(text)
    } catch (e) {
      return done(e as Error, undefined)
    }
    parseJson(req, text, (err, value) => {
      // fastify says only "Body is not valid JSON", for a syntax error and a prototype key alike:
      // a body it refused is parsed again (rarely) to say which field name is refused, or where it stops being JSON
      if (err) {
        try {
          parseClientJson(text, 'body')
        } catch (e) {
          if (isAppError(e)) return done(e, undefined)
          if (e instanceof SyntaxError) return done(notJsonBody(e), undefined)
        }
      }
      done(err, value)
    })
  })
}
