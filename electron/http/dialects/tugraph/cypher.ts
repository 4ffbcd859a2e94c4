// TuGraph's `cypher` (and `gql`) method (reference/tugraph.md §1.3): {graph, script, parameters,
// jsonFormat, timeout}. The statement runs in a query worker; the answer's `data` comes back as
// JSON bytes built there, written into the answer as they are (a slice a turn: 22 MB of them sent in
// one go held every request, #9 §2). A client that hangs up cancels its query.
import type { FastifyReply } from 'fastify'
import type { GraphActor, GraphService } from '../../../graph/graph.service'
import { untilHangUp } from '../../hang-up'
import { RawJson } from '../../../store/raw-json'
import { TuGraphError } from './envelope'
import { objectOrJsonText, optionalBoolean, optionalNumber, requiredString, type Body } from './request'

/** Runs the request's statement; resolves with its `data` as raw JSON (its UTF-8 bytes). */
export async function cypherMethod(graph: GraphService, actor: GraphActor, body: Body, reply: FastifyReply): Promise<RawJson> {
  const name = requiredString(body, 'graph')
  const script = requiredString(body, 'script')
  const jsonFormat = optionalBoolean(body, 'jsonFormat') ?? true
  const timeoutSeconds = optionalNumber(body, 'timeout')
  const parameters = body.parameters === undefined || body.parameters === null ? undefined : objectOrJsonText(body, 'parameters')
  if (!script.trim()) throw new TuGraphError('`script` is empty.')
  return untilHangUp(reply, async (signal) => {
    const answer = await graph.cypher({ graph: name, script, parameters, timeoutSeconds, jsonFormat, actor: { username: actor.username, isAdmin: actor.isAdmin } }, signal)
    if (!('json' in answer)) throw new TuGraphError('internal error: the query answered no JSON', '500')
    return new RawJson(Buffer.from(answer.json.buffer, answer.json.byteOffset, answer.json.byteLength))
  })
}
