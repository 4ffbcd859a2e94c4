// atk24: db.alterLabelAddFields makes fields without the name rule every other way of making a field
// applies (schema.ts parseProperty → checkFieldName: TuGraph's characters, and since #9 no control
// or invisible character). A field named with a bidi override, a zero-width space, a space, a
// leading digit or a reserved column word is made today.
import { beforeEach, expect, it } from 'vitest'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { runCypher } from '../../electron/graph/cypher/run'
import { tugraphData } from '../../electron/graph/cypher/tugraph-json'
import { useFixtureGraph } from './fixture'

let g: GraphDb
const fixture = useFixtureGraph('each')
beforeEach(() => ({ g } = fixture))

const admin = { username: 'admin', isAdmin: true }
const run = (script: string) => JSON.parse(tugraphData(runCypher(g, { script }, { env: { actor: admin } }), true))
const fieldNames = () => (run("CALL db.getLabelSchema('vertex', 'person')").result as { name: string }[]).map((p) => p.name)

it.each([
  ['a bidi override', 'score\u202Eevil'],
  ['a zero-width space', 'sc\u200Bore'],
  ['a space', 'my score'],
  ['a leading digit', '1score'],
  ['a reserved column word', 'SRC_ID'],
])('db.alterLabelAddFields refuses a field name with %s, as db.createVertexLabel does', (_what, name) => {
  expect(() => run(`CALL db.alterLabelAddFields('vertex', 'person', ['${name}', 'STRING', 'x', false])`)).toThrow()
  expect(fieldNames()).not.toContain(name)
})
