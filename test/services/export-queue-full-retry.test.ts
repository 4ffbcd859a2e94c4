// A full export line refused with 503 too_many_exports and no Retry-After ("9 exports are already
// running or waiting"), while a user past their own cap (429 too_many_exports_of_user) and a displaced
// export (export_displaced) are told to try again in 15 s: a client had nothing to wait by. The queue
// alone, its clock faked, then the refusal through the native API's error envelope.
import Fastify from 'fastify'
import { expect, it } from 'vitest'
import { exportQueue } from '../../electron/services/export/export-queue'
import { sendError } from '../../electron/http/native/errors'

const RETRY_S = 15

/** The refusal of the export that finds `running` slots and `waiting` places taken by users who may not be displaced. */
async function fullLineRefusal(): Promise<unknown> {
  const queue = exportQueue({ running: 1, waiting: 2, retryAfterSeconds: RETRY_S, now: () => 0 })
  // one user holds the slot and both places: a newcomer may displace, so the refused one is that user again
  for (let i = 0; i < 3; i++) void queue.acquire('mallory').catch(() => undefined)
  return queue.acquire('mallory').then(
    () => 'started',
    (e: unknown) => e,
  )
}

it('refuses an export past a full line with when to ask again, as a user past their cap is', async () => {
  expect(await fullLineRefusal()).toMatchObject({ kind: 'unavailable', code: 'too_many_exports', retryAfterSeconds: RETRY_S })
})

it('sends that refusal as 503 with retryAfterSeconds in the body and a Retry-After header', async () => {
  const refusal = await fullLineRefusal()
  const app = Fastify()
  app.setErrorHandler((err, req, reply) => sendError(err, req, reply))
  app.get('/export', async () => {
    throw refusal
  })
  const answer = await app.inject({ method: 'GET', url: '/export' })
  await app.close()
  expect(answer.statusCode).toBe(503)
  expect(answer.headers['retry-after']).toBe(String(RETRY_S))
  expect(answer.json().error).toMatchObject({ code: 'too_many_exports', retryAfterSeconds: RETRY_S })
})
