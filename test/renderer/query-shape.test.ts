// #15.2: a Query component's parameters and output anchors are read from its Cypher, as Explorer's
// "Parse Parameter" does (an acceptance trial found the anchors stayed output0, output1).
import { describe, expect, it } from 'vitest'
import { queryShape } from '../../renderer/src/features/graph-workflows/query-shape'

describe('queryShape', () => {
  it('names the outputs by their aliases, in order, and lists each $parameter once', () => {
    expect(queryShape('MATCH (a:person)-[:knows]->(b:person) WHERE a.age > $minAge AND b.age < $minAge + $span RETURN a.id AS src, b.id AS dst')).toEqual({
      params: ['minAge', 'span'],
      outputs: ['src', 'dst'],
    })
  })

  it('makes a name of an expression without alias, and keeps names unique', () => {
    expect(queryShape('MATCH (a)-->(b) RETURN DISTINCT a.id, count(b), b.id AS a_id ORDER BY a.id LIMIT 10').outputs).toEqual(['a_id', 'count_b', 'a_id_2'])
    expect(queryShape('RETURN 1, `weird name` AS `my col`').outputs).toEqual(['_1', 'my_col'])
  })

  it('reads the last RETURN, splits only top-level commas, and skips strings and comments', () => {
    const q = `// RETURN x AS wrong, $notParam
      MATCH (p) WITH p, [x IN range(1, 3) | x] AS xs
      WHERE p.name <> 'RETURN $nope, y'
      RETURN p.id AS id, {a: 1, b: [2, 3]} AS m, coalesce(p.x, $fallback) /* , z */`
    expect(queryShape(q)).toEqual({ params: ['fallback'], outputs: ['id', 'm', 'coalesce_p_x_fallback'] })
  })

  it('gives no outputs for a query without RETURN or with RETURN *', () => {
    expect(queryShape("CREATE (:person {id: $id})").outputs).toBeNull()
    expect(queryShape('MATCH (n) RETURN *').outputs).toBeNull()
    expect(queryShape('').params).toEqual([])
  })
})
