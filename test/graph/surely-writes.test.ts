// surelyWritesData (graph/cypher/surely-writes.ts) lets the main thread refuse a write into a graph an
// import holds at once: it must never say yes of a statement that only reads (that would refuse a read
// during an import), and says yes of the write clauses' usual shapes.
import { expect, it } from 'vitest'
import { callsDeleteGraph, surelyRefusedWhileImporting, surelyWritesData } from '../../electron/graph/cypher/surely-writes'

it('says yes of the write clauses', () => {
  const writes = [
    "CREATE (:plain {id: 'x'})",
    'create(n:plain)',
    'CREATE p = (a)-[:knows]->(b)',
    "MATCH (a), (b) MERGE (a)-[:knows]->(b)",
    "MATCH (n:plain) SET n.name = 'y'",
    'MATCH (n) SET n += {a: 1}',
    'MATCH (n) SET n:Other',
    'MATCH (n) REMOVE n.name',
    'MATCH (n) REMOVE n:plain',
    'MATCH (n) DELETE n',
    'MATCH (n) DETACH DELETE n',
    'MATCH (n)DELETE(n)',
    'MATCH p = (n) FOREACH (x IN nodes(p) | SET x.seen = true)',
    'PROFILE CREATE (n)',
    'MATCH (a) WITH a AS x MATCH (n) WHERE n.id = x DELETE n',
    'MATCH (n) WHERE n:plain DETACH DELETE n',
    'MATCH (n) WITH n SET n.a = 1',
    'MERGE (n {id: 1}) ON CREATE SET n.a = 1',
    'UNWIND [1] AS x FOREACH (y IN [x] | DELETE y)',
    'CALL { MATCH (n) DELETE n }',
    'MATCH (n) WHERE n.a = 1 DELETE n',
    "MATCH (n) WHERE n.name = 'CREATE (' CREATE (m)",
  ]
  for (const s of writes) expect(surelyWritesData(s), s).toBe(true)
})

it('says no of reads, whatever words they hold in names, keys, strings and comments', () => {
  const reads = [
    'MATCH (n:plain) RETURN count(n) AS n',
    "MATCH (n) WHERE n.name = 'CREATE (x)' RETURN n",
    'MATCH (n) WHERE n.note = "SET n.a = 1; DELETE n" RETURN n',
    'MATCH (n) RETURN n.created, n.set, n.delete, n.merge, n.remove AS x',
    'MATCH (n:Create)-[:SET]->(m:Delete) RETURN m',
    'RETURN {create: 1, set: 2, delete: 3, remove: 4, foreach: 5} AS m',
    'MATCH (n) RETURN count(*) AS deleted, n.createdAt AS createdAt',
    'MATCH (`CREATE (x)`) RETURN 1',
    'MATCH (n) // CREATE (m)\nRETURN n',
    'MATCH (n) /* SET n.a = 1 */ RETURN n',
    'MATCH (n) WHERE $set = 1 RETURN n',
    "CALL db.vertexLabels()",
    "CALL dbms.graph.listGraphs()",
    'MATCH (n) RETURN toUpper(n.name) AS settled, n.deleteMe AS d',
    // a variable may have a clause's name (the engine runs these as reads)
    'UNWIND [1,2] AS delete RETURN delete',
    'WITH 1 AS delete WHERE delete = 1 RETURN delete',
    'UNWIND [1] AS delete WITH delete ORDER BY delete RETURN delete.a, delete[0], (delete)',
    'UNWIND [1] AS delete RETURN [x IN [delete] WHERE x > 0 | delete] AS l, {a: delete} AS m, -delete, NOT delete',
    'UNWIND [1] AS create WITH create AS set RETURN set, create',
    'UNWIND [1] AS delete RETURN CASE WHEN delete THEN delete ELSE delete END',
    // EXPLAIN plans and runs nothing
    'EXPLAIN CREATE (n:plain {id: "e"})',
    '  explain MATCH (n) DELETE n',
  ]
  for (const s of reads) expect(surelyWritesData(s), s).toBe(false)
})

// #9 leftover: a write procedure during an import ran to its refusal in a query worker (1.1-1.4 s at load
// 14: it waited for the import's package to take the graph's write lock), where CREATE was refused at once
it('says the engine refuses the write clauses and the procedures it refuses during an import, in any case and spacing', () => {
  const refused = [
    "CREATE (:plain {id: 'x'})",
    "CALL db.upsertVertex('plain', [{id: 'u'}])",
    "call DB.UPSERTVERTEX('plain', []) YIELD insert RETURN insert",
    "CALL db.upsertEdge('knows', {type: 'p', key: 'a'}, {type: 'p', key: 'b'}, [])",
    'CALL db . dropDB()',
    'CALL db.dropDB',
    "MATCH (n) WITH count(n) AS c CALL db.addIndex('plain', 'name', false) RETURN c",
    "CALL db.deleteLabel('vertex', 'plain')",
    "CALL db.alterLabelDelFields('vertex', 'plain', ['name'])",
    "CALL db.alterLabelAddFields('vertex', 'plain', ['age', int64, 0, true])",
    "CALL db.alterLabelModFields('vertex', 'plain', ['name', string, true])",
    "CALL db.deleteIndex('plain', 'name')",
    "CALL db.addEdgeIndex('knows', 'since', false, false)",
    "CALL db.deleteEdgeIndex('knows', 'since')",
    "CALL db.vertexLabels() YIELD label CALL db.upsertVertex(label, []) RETURN 1",
  ]
  for (const s of refused) expect(surelyRefusedWhileImporting(s), s).toBe(true)
})

it('says no of reads and of the procedures that run beside an import', () => {
  const runs = [
    'MATCH (n:plain) RETURN count(n) AS n',
    'CALL db.vertexLabels()',
    'CALL db.flushDB()',
    "CALL db.createVertexLabel('more', 'id', 'id', 'INT64', false)",
    "CALL db.createLabel('vertex', 'more', 'id', ['id', int64, false])",
    "CALL dbms.graph.deleteGraph('held')", // its graph is an argument: planned first (callsDeleteGraph)
    "RETURN 'CALL db.dropDB()' AS text",
    'MATCH (n) // CALL db.dropDB()\nRETURN n',
    'CALL `db.dropDB`()', // a quoted name: left to the engine
    'CALL db.dropDBs()',
    'CALL db.dropDB.more()',
    'MATCH (n) RETURN n.call, n.db AS db',
    'UNWIND [1] AS call RETURN call',
    "EXPLAIN CALL db.upsertVertex('plain', [])",
    "EXPLAIN CREATE (n:plain {id: 'e'})",
  ]
  for (const s of runs) expect(surelyRefusedWhileImporting(s), s).toBe(false)
})

it('tells a CALL of dbms.graph.deleteGraph (GraphHost plans it to learn the graph it drops)', () => {
  for (const s of ["CALL dbms.graph.deleteGraph('held')", 'call DBMS.Graph . deletegraph($g)', "CALL dbms.graph.deleteGraph('a') UNION CALL dbms.graph.deleteGraph('b')"]) expect(callsDeleteGraph(s), s).toBe(true)
  for (const s of ["RETURN 'CALL dbms.graph.deleteGraph(1)'", '// CALL dbms.graph.deleteGraph(1)\nRETURN 1', 'CALL dbms.graph.deleteGraphs()', "CALL dbms.graph.createGraph('x')", 'CALL `dbms.graph.deleteGraph`()', "EXPLAIN CALL dbms.graph.deleteGraph('x')"]) expect(callsDeleteGraph(s), s).toBe(false)
})
