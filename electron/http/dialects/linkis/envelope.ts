// Linkis's Message envelope (linkis-module Message.scala): {method, status, message, data}, with the
// HTTP status following `status` (Message.messageToHttpStatus): 0→200, 1→400, -1→401, 2→412, 3→403, 4→206.

import type { FastifyReply } from 'fastify'
import { AppError, type ErrorKind } from '../../../../shared/errors'

export type LinkisStatus = 0 | 1 | -1 | 2 | 3 | 4

const HTTP_OF: Record<LinkisStatus, number> = { 0: 200, 1: 400, [-1]: 401, 2: 412, 3: 403, 4: 206 }

export interface LinkisMessage {
  method: string | null
  status: LinkisStatus
  message: string
  data: Record<string, unknown>
}

export function send(reply: FastifyReply, method: string, status: LinkisStatus, message: string, data: Record<string, unknown> = {}): FastifyReply {
  return reply.code(HTTP_OF[status]).send({ method, status, message, data } satisfies LinkisMessage)
}

export const ok = (reply: FastifyReply, method: string, message: string, data: Record<string, unknown> = {}) => send(reply, method, 0, message, data)

/** A Linkis error: status 1 unless said otherwise, its message as Linkis words it. */
export class LinkisError extends Error {
  constructor(
    message: string,
    readonly status: LinkisStatus = 1,
  ) {
    super(message)
    this.name = 'LinkisError'
  }
}

/** Errors raised by Linkis services carry their code: `errCode: 20009 ,desc: … ,ip: … ,port: … ,serviceKind: …`. */
export function entranceError(code: number, desc: string, port: number): LinkisError {
  return new LinkisError(`errCode: ${code} ,desc: ${desc} ,ip: 127.0.0.1 ,port: ${port} ,serviceKind: linkis-cg-entrance`)
}

/** Errors of the filesystem service (WorkspaceExceptionManager codes 800xx), as linkis-ps-publicservice words them. */
export function fsError(code: number, desc: string): LinkisError {
  return new LinkisError(`errCode: ${code} ,desc: ${desc} ,ip: 127.0.0.1 ,port: 9002 ,serviceKind: linkis-ps-publicservice`)
}

const STATUS_OF_KIND: Partial<Record<ErrorKind, LinkisStatus>> = { unauthenticated: -1, forbidden: 3, invalid: 2 }

/** Any error as a Linkis message: JobDesk's own errors keep their text; validation errors are status 2. */
export function toLinkis(err: unknown): LinkisError {
  if (err instanceof LinkisError) return err
  if (err instanceof AppError) return new LinkisError(err.message, STATUS_OF_KIND[err.kind] ?? 1)
  const fe = err as { validation?: unknown; message?: string; statusCode?: number }
  if (fe?.validation) return new LinkisError(`parameter error: ${fe.message}`, 2)
  if (fe?.statusCode === 400) return new LinkisError(`request error: ${fe.message}`, 1)
  return new LinkisError('operation failed(操作失败)s! the reason(原因): internal error', 1)
}
