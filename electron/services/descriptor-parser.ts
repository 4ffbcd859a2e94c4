import { badDescriptor, DescriptorError, parseForStorage, type StoredDescriptor } from '../workflows/rillflow/descriptor'
import { checkTextSize } from '../workflows/rillflow/descriptor/limits'
import type { DescriptorParseMessage, DescriptorParseRequest } from './descriptor-worker'
import { textWorkers } from './text-workers'
import { INLINE_JSON_CHARS, parseClientJsonOffThread } from './json-parser'
import { warmConstant } from '../workflows/rillflow/mappings'

/**
 * Up to this many characters a descriptor is parsed on the main thread; a longer one in a worker
 * thread. Measured on a loaded 2-core machine: parsing, validating and rewriting took about 0.6 ms
 * per kB (a 490 kB descriptor of 30,000 defaultContext keys: ~300 ms), so 64 kB stays near 40 ms.
 */
export const INLINE_DESCRIPTOR_CHARS = 64 * 1024
// A descriptor parsed inline skips warmLongConstants: its JSON constants come from its own text, so
// they are about as short (a YAML map written as JSON grows by its quotes, a few tens of percent) and
// a run parses them in a few ms. That holds only while such a descriptor cannot carry a constant
// well past INLINE_JSON_CHARS, the JSON worker's threshold: raising this bound past that one (or
// lowering that one) would leave long constants to be parsed inside an engine tick, unwarmed.
if (INLINE_DESCRIPTOR_CHARS > INLINE_JSON_CHARS) {
  throw new Error(`INLINE_DESCRIPTOR_CHARS (${INLINE_DESCRIPTOR_CHARS}) must not exceed INLINE_JSON_CHARS (${INLINE_JSON_CHARS}): an inline descriptor's constants are not warmed`)
}
/** The descriptor workers (descriptor-worker.ts); a descriptor is at most 1 MB of text (descriptor/limits.ts). */
const workers = textWorkers<DescriptorParseRequest, DescriptorParseMessage>({
  entry: 'descriptor-worker',
  doing: 'reading the descriptor',
  failCode: 'descriptor_parse_failed',
  busyCode: 'too_many_descriptors',
  busy: (limit) => `${limit} long descriptors are already being read or waiting: try again in a moment`,
})

/**
 * Parses a descriptor for add_descriptor (descriptor/index.ts parseForStorage): a short one on the
 * main thread, a long one in a worker thread. A text over the size limit is refused before either.
 * Rejects with AppError `invalid` bad_descriptor naming the field and line of a bad descriptor
 * (descriptor/error.ts badDescriptor), with AppError `unavailable` (too_many_descriptors) when too
 * many long ones are already being parsed and waiting, and AppError `internal` when a worker fails.
 * `owner` (the caller's user name) shares the workers fairly between users, and `signal` (the
 * client hung up) takes a long one out of the line or stops its worker (atk13: one user's 12 long
 * descriptors got everyone else's refused); its long JSON constants are warmed on the same share.
 */
export async function parseDescriptorForStorage(text: string, o: { owner: string; signal?: AbortSignal }): Promise<StoredDescriptor> {
  let descriptor: StoredDescriptor
  try {
    if (text.length <= INLINE_DESCRIPTOR_CHARS) {
      workers.warm()
      return parseForStorage(text) // its constants are about INLINE_JSON_CHARS at most (see above): not warmed
    }
    checkTextSize(text) // a text too long to be one is refused at once
    descriptor = await parseInWorker(text, o)
  } catch (e) {
    throw e instanceof DescriptorError ? badDescriptor(e) : e
  }
  await warmLongConstants(descriptor, o.owner)
  return descriptor
}

/**
 * Caches the descriptor's long JSON constants (mapping sources, defaultContext values over
 * INLINE_JSON_CHARS) parsed in the JSON worker (mappings.ts warmConstant), before add_descriptor
 * answers: a run then finds them parsed, instead of parsing one inside an engine tick.
 */
async function warmLongConstants(descriptor: StoredDescriptor, owner: string): Promise<void> {
  const texts = new Set<string>()
  const visit = (v: unknown, depth: number): void => {
    if (typeof v === 'string') {
      const t = v.trim()
      if (t.length > INLINE_JSON_CHARS && (t[0] === '{' || t[0] === '[')) texts.add(t)
    } else if (typeof v === 'object' && v !== null && depth < 64) for (const x of Object.values(v)) visit(x, depth + 1)
  }
  visit(JSON.parse(descriptor.json) as unknown, 0) // the stored DAG: a descriptor of at most 1 MB
  for (const t of texts) await warmConstant(t, async (json) => (await parseClientJsonOffThread(json, 'a JSON constant', { owner })).value)
}

async function parseInWorker(text: string, o: { owner: string; signal?: AbortSignal }): Promise<StoredDescriptor> {
  const answer = await workers.ask({ text }, o)
  if (answer.type === 'parsed') return answer.descriptor
  throw new DescriptorError(answer.message, answer.details)
}
