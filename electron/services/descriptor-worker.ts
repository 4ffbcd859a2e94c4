// A worker thread that parses and validates long Rill Flow descriptors (descriptor-parser.ts), so that
// a descriptor of a megabyte, or one refused only after its whole text is read, never holds up the
// main thread's requests and engine (#9 §2). It says `ready` once loaded, then answers one
// DescriptorParseRequest at a time, and stays loaded for the next (graph/worker/query-pool.ts).
import { parentPort } from 'node:worker_threads'
import { DescriptorError, parseForStorage, type DescriptorErrorDetails, type StoredDescriptor } from '../workflows/rillflow/descriptor'
import { yieldToMainThread } from '../worker-thread'

export interface DescriptorParseRequest {
  text: string
}

export type DescriptorParseMessage =
  | { type: 'parsed'; descriptor: StoredDescriptor }
  | { type: 'invalid'; message: string; details: DescriptorErrorDetails }
  | { type: 'error'; message: string }

yieldToMainThread()
parentPort!.on('message', ({ text }: DescriptorParseRequest) => {
  let answer: DescriptorParseMessage
  try {
    answer = { type: 'parsed', descriptor: parseForStorage(text) }
  } catch (e) {
    answer = e instanceof DescriptorError ? { type: 'invalid', message: e.message, details: e.details } : { type: 'error', message: (e as Error).message }
  }
  parentPort!.postMessage(answer)
})
parentPort!.postMessage({ type: 'ready' })
