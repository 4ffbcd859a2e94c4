// What a query worker loads on its first query (graph-worker.ts imports it lazily, so other graph
// workers never load the parser).
export { parseCypher, warmUpParser } from './parse'
export { planCypher, runCypher } from './run'
export { tugraphData } from './tugraph-json'
