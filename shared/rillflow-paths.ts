// Where a Rill Flow mapping path names a task: one reading for the descriptor's `input` shorthand
// rewrite (electron/.../descriptor/rewrite.ts) and the graph's rename and delete (renderer dag-edit).

/** One element of a path and where its text is: a name's characters (quotes excluded), or a whole `[n]`/`[*]`. */
export interface PathSpan {
  name: string
  start: number
  end: number
}

/**
 * The leading plain elements of a `$`-path (names, `[n]`, `[*]`, as pathElements reads them) with
 * their offsets; `complete` is false when something else (a filter, deep scan, slice) follows them.
 */
export function pathSpans(source: string): { spans: PathSpan[]; complete: boolean } {
  const spans: PathSpan[] = []
  let i = 1
  while (i < source.length) {
    const ch = source[i]
    if (ch === '.' && source[i + 1] === '[') i += 1
    else if (ch === '.') {
      const m = /^\.(\*|[^.[\]]+)/.exec(source.slice(i))
      if (!m || m[1] === undefined) return { spans, complete: false }
      spans.push(m[1] === '*' ? { name: '[*]', start: i, end: i + 2 } : { name: m[1], start: i + 1, end: i + m[0].length })
      i += m[0].length
    } else if (ch === '[') {
      const m = /^\[(?:'([^']*)'|"([^"]*)"|(\d+|\*))\]/.exec(source.slice(i))
      if (!m) return { spans, complete: false }
      const name = m[1] ?? m[2]
      spans.push(name !== undefined ? { name, start: i + 2, end: i + m[0].length - 2 } : { name: `[${m[3]}]`, start: i, end: i + m[0].length })
      i += m[0].length
    } else return { spans, complete: false }
  }
  return { spans, complete: true }
}

/**
 * Elements of a plain JSONPath after `$` in Jayway's normalised form: names, `[n]`, `[*]`.
 * Deep scans, filters, slices and unions give undefined (upstream leaves those untouched too).
 */
export function pathElements(source: string): string[] | undefined {
  const { spans, complete } = pathSpans(source)
  return complete ? spans.map((s) => s.name) : undefined
}

/**
 * The first name of a `$.`-path (`$.taskA.data.id` → taskA), as the `input` shorthand rewrite reads
 * it: the path names a task when this is a top-level task's name. Undefined for anything else
 * (a constant, `$[…]`, a filter or deep scan).
 */
export function pathHead(source: string | undefined): string | undefined {
  if (!source?.startsWith('$.')) return undefined
  const head = pathElements(source)?.[0]
  return head === undefined || head.startsWith('[') ? undefined : head
}
