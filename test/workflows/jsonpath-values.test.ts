// A JSONPath read records values only (walkValues); a write needs where each value sits (walk). The
// two must reach the same values in the same order, with the same errors, on every shape Rill Flow
// mappings use: a read over a 100k-item foreach's sub-contexts made 100k write references it never used (#9).
import { describe, expect, it } from 'vitest'
import { compilePath } from '../../electron/workflows/rillflow/jsonpath/parser'
import { READ_OPTIONS } from '../../electron/workflows/rillflow/jsonpath/read'
import { walk, walkValues } from '../../electron/workflows/rillflow/jsonpath/walk'
import { readPath } from '../../electron/workflows/rillflow/jsonpath'
import { threadCpuMs } from '../support/cpu-time'

const doc = {
  context: { items: [1, 2, 3], user: { name: 'ann', tags: ['a', 'b'] }, n: null },
  input: {},
  output: {
    sub_context: [{ doubled: 2, item: 1 }, { item: 2 }, { doubled: 6, item: 3, deep: { x: { y: 1 } } }],
    list: [{ a: { b: 1 } }, { a: { b: 2 } }, { a: 5 }, 7, null],
    map: { k1: { v: 1 }, k2: { v: 2 } },
  },
}

const PATHS = [
  '$.output.sub_context.[*].doubled',
  '$.output.sub_context[*].doubled',
  '$.output.sub_context.[*]',
  '$.output.list[*].a.b',
  '$.output.list[*].a',
  '$.output.map.*.v',
  '$.output.map[*]',
  '$.context.items',
  '$.context.items[0]',
  '$.context.items[-1]',
  '$.context.items[0,2]',
  '$.context.items[1:]',
  '$.context.items[:2]',
  "$.context.user['name','tags']",
  '$.context.user.tags.length()',
  '$.context.missing',
  '$.context.n',
  '$..doubled',
  '$..[?(@.doubled > 2)].item',
  '$.output.sub_context[?(@.doubled)].item',
  "$.output.sub_context[?(@.item in [1, 3])]",
  '$.output.list[?(@.a.b == 2)]',
  '$.output.sub_context[*].deep.x.y',
  '$',
]

/** What walk and walkValues each answer: the values, or the error's class and text. */
function both(path: string): [unknown, unknown] {
  const attempt = (fn: () => unknown) => {
    try {
      return { ok: fn() }
    } catch (e) {
      return { error: (e as Error).name, message: (e as Error).message }
    }
  }
  const compiled = compilePath(path)
  return [attempt(() => walk(compiled, doc, doc, READ_OPTIONS).map((h) => h.value)), attempt(() => walkValues(compiled, doc, doc, READ_OPTIONS))]
}

describe('walkValues', () => {
  it.each(PATHS)('reaches what walk reaches: %s', (path) => {
    const [withRefs, valuesOnly] = both(path)
    expect(valuesOnly).toEqual(withRefs)
  })

  it('keeps the failures of a definite path that is missing an intermediate', () => {
    for (const path of ['$.context.missing.x', '$.context.items.x', '$.output.sub_context[7].x']) {
      const [withRefs, valuesOnly] = both(path)
      expect(valuesOnly).toEqual(withRefs)
    }
    expect(() => readPath(doc, '$.context.missing.x')).toThrow(/Missing property 'missing'/)
  })

  it('reads 100k sub-contexts in well under the time a tick may take', () => {
    const big = { output: { sub_context: Array.from({ length: 100_000 }, (_, i) => ({ item: i, doubled: 2 * i })) } }
    readPath(big, '$.output.sub_context.[*].doubled') // warm
    const cpu = threadCpuMs()
    const values = readPath(big, '$.output.sub_context.[*].doubled') as number[]
    const ms = threadCpuMs() - cpu
    expect(values).toHaveLength(100_000)
    expect(values[99_999]).toBe(199_998)
    // 85 ms of CPU with a write reference per value; about 15 ms without (2-core machine)
    expect(ms).toBeLessThan(50)
  })
})
