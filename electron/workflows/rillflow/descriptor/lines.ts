// Maps each YAML node of a descriptor to the line it starts on, so parse and validation
// errors can name the line of the offending task or field. Built from js-yaml's event
// stream (offsets into the source), which works for JSON descriptors too.

import { EVENT_ID, getScalarValue, type Event } from 'js-yaml'

/** Keys and list indexes from the document root, e.g. ['tasks', 2, 'next']. */
export type YamlPath = readonly (string | number)[]

/** Top-level alias keys (DAG.java) so a lookup by the normalised key finds the written one. */
const ROOT_ALIASES: Record<string, readonly string[]> = {
  workspace: ['namespace'],
  dagName: ['service'],
  callback: ['callback_config', 'callbackConfig'],
}

export class LineIndex {
  private readonly lines = new Map<string, number>()
  private readonly texts = new Map<string, string>()

  record(path: YamlPath, line: number | undefined, text?: string): void {
    const key = keyOf(path)
    if (line !== undefined && !this.lines.has(key)) this.lines.set(key, line)
    if (text !== undefined) this.texts.set(key, text)
  }

  /** Line of the node at `path`, else of its nearest recorded ancestor (a missing field points at its task). */
  lineOf(path: YamlPath): number | undefined {
    for (let end = path.length; end >= 0; end--) {
      const prefix = path.slice(0, end)
      const line = this.lines.get(keyOf(prefix)) ?? this.aliasLine(prefix)
      if (line !== undefined) return line
    }
    return undefined
  }

  /** The scalar exactly as written (`1.0` stays "1.0"), for string fields given a number. */
  scalarText(path: YamlPath): string | undefined {
    return this.texts.get(keyOf(path))
  }

  private aliasLine(path: YamlPath): number | undefined {
    const [head, ...rest] = path
    if (typeof head !== 'string') return undefined
    for (const alias of ROOT_ALIASES[head] ?? []) {
      const line = this.lines.get(keyOf([alias, ...rest]))
      if (line !== undefined) return line
    }
    return undefined
  }
}

function keyOf(path: YamlPath): string {
  return JSON.stringify(path)
}

interface Frame {
  kind: 'map' | 'seq'
  path: YamlPath
  nextIndex: number
  key: string | undefined
}

/** Build the index from events already produced by `parseEvents(text)`. */
export function buildLineIndex(text: string, events: readonly Event[]): LineIndex {
  const index = new LineIndex()
  const lineAt = lineLocator(text)
  const stack: Frame[] = []
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) continue
    if (event.type === EVENT_ID.POP) {
      stack.pop()
      continue
    }
    const offset = offsetOf(event)
    const line = offset >= 0 ? lineAt(offset) : undefined
    const path = placeNode(stack[stack.length - 1], event, text, index, line)
    if (path === undefined) continue
    const scalar = event.type === EVENT_ID.SCALAR ? getScalarValue(text, event) : undefined
    index.record(path, line, scalar)
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      stack.push({ kind: event.type === EVENT_ID.MAPPING ? 'map' : 'seq', path, nextIndex: 0, key: undefined })
    }
  }
  return index
}

/** The path of a node inside its parent, or undefined when the node is a mapping key (recorded here). */
function placeNode(
  parent: Frame | undefined,
  event: Event,
  text: string,
  index: LineIndex,
  line: number | undefined
): YamlPath | undefined {
  if (!parent) return []
  if (parent.kind === 'seq') return [...parent.path, parent.nextIndex++]
  if (parent.key === undefined) {
    // Complex (collection) keys are vanishingly rare in descriptors; give them a placeholder name.
    parent.key = event.type === EVENT_ID.SCALAR ? getScalarValue(text, event) : '?'
    index.record([...parent.path, parent.key], line)
    return event.type === EVENT_ID.SCALAR ? undefined : [...parent.path, parent.key, '?']
  }
  const path = [...parent.path, parent.key]
  parent.key = undefined
  return path
}

function offsetOf(event: Event): number {
  switch (event.type) {
    case EVENT_ID.SCALAR:
      return event.valueStart >= 0 ? event.valueStart : event.anchorStart
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return event.start
    case EVENT_ID.ALIAS:
      return event.anchorStart
    default:
      return -1
  }
}

/** 1-based line of a source offset, by binary search over line starts. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((starts[mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}
