// Keys named `__proto__` (a map key, a property, a column) are plain keys in every answer (atk16 LOW):
// a property named so was stored and read by `n.__proto__` but missing from the node's JSON and from
// properties(n), and `RETURN {__proto__: 1, a: 2}` answered {"a": 2}: the encoders built their
// objects with `{}`, where assigning `__proto__` sets the prototype instead of a key.
import { beforeEach, expect, it } from 'vitest'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { runCypher } from '../../electron/graph/cypher/run'
import { tugraphData } from '../../electron/graph/cypher/tugraph-json'
import { useFixtureGraph } from './fixture'

let g: GraphDb
const fixture = useFixtureGraph('each')
beforeEach(() => ({ g } = fixture))

const admin = { username: 'admin', isAdmin: true }
/** The TuGraph answer's rows, as a client parses them (JSON text, both formats). */
const run = (script: string, json = true) => JSON.parse(tugraphData(runCypher(g, { script }, { env: { actor: admin } }), json))

it('a map literal keeps a __proto__ key', () => {
  expect(run('RETURN {__proto__: 1, a: 2} AS m').result[0].m).toEqual(JSON.parse('{"__proto__": 1, "a": 2}'))
  expect(run('RETURN {__proto__: 1, a: 2} AS m', false).result[0][0]).toEqual(JSON.stringify(JSON.parse('{"__proto__": 1, "a": 2}')))
})

it('a column named __proto__ is a column', () => {
  expect(Object.keys(run('RETURN 1 AS `__proto__`, 2 AS b').result[0])).toEqual(['__proto__', 'b'])
})

it('a property named __proto__ is in the node, in properties(n) and in keys(n)', () => {
  run("CALL db.alterLabelAddFields('vertex', 'person', ['__proto__', 'STRING', 'x', true])")
  run("MATCH (n:person) WITH n LIMIT 1 SET n.`__proto__` = 'here'")
  const row = run("MATCH (n:person) WHERE n.`__proto__` = 'here' RETURN n, properties(n) AS p, keys(n) AS k").result[0]
  expect(Object.keys(row.n.properties)).toContain('__proto__')
  expect(row.n.properties.__proto__).toBe('here')
  expect(Object.getOwnPropertyDescriptor(row.p, '__proto__')?.value).toBe('here')
  expect(row.k).toContain('__proto__')
})
