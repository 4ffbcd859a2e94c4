// How big a descriptor may be, checked on the event stream before anything is built from it.
// YAML aliases let a few hundred bytes stand for a document of gigabytes ("billion laughs"), and
// a parsed descriptor is stored and read back whole, so the limits apply to the document with
// every alias expanded. Upstream's DAGSubmitChecker sizes a descriptor at 30 KB plus 600 bytes
// for each of at most 1,000 tasks; these limits are roomier but of the same kind.

import { EVENT_ID, getScalarValue, type Event } from 'js-yaml'
import { DescriptorError } from './error'
import { lineLocator } from './lines'

export const DESCRIPTOR_LIMITS = {
  /** Characters of descriptor text. */
  maxChars: 1 << 20,
  /** YAML nodes (scalars, including keys, and collections) once every alias is expanded. */
  maxNodes: 100_000,
  /** Characters of scalar text once every alias is expanded. */
  maxExpandedChars: 2 << 20,
  /** Tasks at all levels (foreach and choice sub-tasks count). */
  maxTasks: 1_000,
} as const

/** Refuses descriptor text over `maxChars`, before it is parsed. */
export function checkTextSize(text: string): void {
  if (text.length > DESCRIPTOR_LIMITS.maxChars) {
    throw new DescriptorError(
      `the descriptor has ${text.length} characters; at most ${DESCRIPTOR_LIMITS.maxChars} are accepted`,
      { field: 'descriptor' },
    )
  }
}

interface Size {
  nodes: number
  chars: number
}

/** An open collection while walking events: its anchor, the total when it opened, and for a mapping the key awaiting its value. */
interface Frame {
  anchor: string | null
  at: Size
  mapping: boolean
  key: string | null | undefined
  /** A sequence that is the value of a `tasks` key: its mapping items are tasks. */
  tasks: boolean
  /** A collection used as a mapping key (rare in descriptors). */
  isKey: boolean
}

/**
 * Walks the parser's events counting what the constructed document would hold, an alias counting
 * as the whole node it repeats, and the tasks it lists. Throws a DescriptorError naming the line
 * where the document crosses a limit, or where an alias names a node that contains it (a cycle).
 */
export function checkDocumentSize(text: string, events: readonly Event[]): void {
  const lineAt = lineLocator(text)
  const anchors = new Map<string, Size | 'open'>()
  const open: Frame[] = []
  let tasks = 0
  const total: Size = { nodes: 0, chars: 0 }
  const anchorOf = (e: { anchorStart: number; anchorEnd: number }) => (e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : null)
  const add = (size: Size, offset: number, what: string) => {
    total.nodes += size.nodes
    total.chars += size.chars
    const over =
      total.nodes > DESCRIPTOR_LIMITS.maxNodes
        ? `more than ${DESCRIPTOR_LIMITS.maxNodes} YAML nodes`
        : total.chars > DESCRIPTOR_LIMITS.maxExpandedChars
          ? `more than ${DESCRIPTOR_LIMITS.maxExpandedChars} characters of values`
          : null
    if (!over) return
    const line = lineAt(offset)
    throw new DescriptorError(`the descriptor expands to ${over}${what} (line ${line})`, { field: 'descriptor', line })
  }
  /** Called for each node placed in the innermost open collection; says whether it is a mapping key. */
  const place = (scalarKey: () => string | null): { isKey: boolean; parent: Frame | undefined } => {
    const parent = open[open.length - 1]
    if (!parent?.mapping) return { isKey: false, parent }
    if (parent.key === undefined) {
      parent.key = scalarKey()
      return { isKey: true, parent }
    }
    return { isKey: false, parent }
  }
  const valuePlaced = (parent: Frame | undefined) => {
    if (parent?.mapping) parent.key = undefined
  }
  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        open.push({ anchor: null, at: { ...total }, mapping: false, key: undefined, tasks: false, isKey: false }) // closed by a POP like a collection
        break
      case EVENT_ID.SCALAR: {
        const size = { nodes: 1, chars: Math.max(0, e.valueEnd - e.valueStart) }
        const anchor = anchorOf(e)
        if (anchor !== null) anchors.set(anchor, size)
        const { isKey, parent } = place(() => getScalarValue(text, e))
        if (!isKey) valuePlaced(parent)
        add(size, e.valueStart >= 0 ? e.valueStart : e.anchorStart, '')
        break
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const anchor = anchorOf(e)
        if (anchor !== null) anchors.set(anchor, 'open')
        const { isKey, parent } = place(() => null)
        const mapping = e.type === EVENT_ID.MAPPING
        if (mapping && parent?.tasks && ++tasks > DESCRIPTOR_LIMITS.maxTasks) {
          const line = lineAt(e.start)
          throw new DescriptorError(`the descriptor has more than ${DESCRIPTOR_LIMITS.maxTasks} tasks (all levels counted) (line ${line})`, { field: 'tasks', line })
        }
        const listsTasks = !mapping && !isKey && parent?.mapping === true && parent.key === 'tasks'
        open.push({ anchor, at: { ...total }, mapping, key: undefined, tasks: listsTasks, isKey })
        add({ nodes: 1, chars: 0 }, e.start, '')
        break
      }
      case EVENT_ID.ALIAS: {
        const { isKey, parent } = place(() => null)
        if (!isKey) valuePlaced(parent)
        const name = text.slice(e.anchorStart, e.anchorEnd)
        const size = anchors.get(name)
        if (size === 'open') {
          const line = lineAt(e.anchorStart)
          throw new DescriptorError(`alias *${name} refers to a node that contains it (line ${line})`, { field: 'descriptor', line })
        }
        if (size) add(size, e.anchorStart, ` through alias *${name}`)
        break
      }
      case EVENT_ID.POP: {
        const frame = open.pop()
        if (frame?.anchor) anchors.set(frame.anchor, { nodes: total.nodes - frame.at.nodes, chars: total.chars - frame.at.chars })
        if (frame && !frame.isKey) valuePlaced(open[open.length - 1])
        break
      }
    }
  }
}
