// Where a Rill Flow mapping path names a task: one reading for the descriptor's `input` shorthand
// rewrite (electron/.../descriptor/rewrite.ts) and the graph's rename and delete (renderer dag-edit).

/**
 * Elements of a plain JSONPath after `$` in Jayway's normalised form: names, `[n]`, `[*]`.
 * Deep scans, filters, slices and unions give undefined (upstream leaves those untouched too).
 */
export function pathElements(source: string): string[] | undefined {
  const out: string[] = []
  let i = 1
  while (i < source.length) {
    const ch = source[i]
    if (ch === '.' && source[i + 1] === '[') i += 1
    else if (ch === '.') {
      const m = /^\.(\*|[^.[\]]+)/.exec(source.slice(i))
      if (!m || m[1] === undefined) return undefined
      out.push(m[1] === '*' ? '[*]' : m[1])
      i += m[0].length
    } else if (ch === '[') {
      const m = /^\[(?:'([^']*)'|"([^"]*)"|(\d+|\*))\]/.exec(source.slice(i))
      if (!m) return undefined
      const name = m[1] ?? m[2]
      out.push(name !== undefined ? name : `[${m[3]}]`)
      i += m[0].length
    } else return undefined
  }
  return out
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
