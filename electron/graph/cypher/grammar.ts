// Neo4j's ANTLR-generated Cypher lexer and parser from @neo4j-cypher/language-support, loaded on their
// own. The package's one entry point (its index) also loads completion, linting, formatting, hover
// help and test data: about 2.4 s of CPU in every new query worker, against 0.5 s for the lexer and
// parser (docs/PERFORMANCE.md, "Query worker start-up"). Its package.json exports nothing else, so the
// files are imported by path; electron-vite bundles them (and antlr4ng, the ANTLR runtime they use)
// into the graph worker.
import { CharStream, CommonTokenStream, ListTokenSource } from 'antlr4ng'
import { CypherCmdLexer } from '../../../node_modules/@neo4j-cypher/language-support/dist/esm/project/language-support/src/generated-parser/CypherCmdLexer.js'
import { CypherCmdParser, type StatementsOrCommandsContext } from '../../../node_modules/@neo4j-cypher/language-support/dist/esm/project/language-support/src/generated-parser/CypherCmdParser.js'
import { splitIntoStatements } from '../../../node_modules/@neo4j-cypher/language-support/dist/esm/project/language-support/src/helpers.js'

/** One statement of a query text: its parser (rule names, syntax error count; it can parse again after `reset()`) and its tree. */
export interface GrammarStatement {
  parser: CypherCmdParser
  ctx: StatementsOrCommandsContext
}

/**
 * Splits `query` at its semicolons and parses each piece, as the language service's own parse does
 * (cypherLanguageService.js createParsingResult, without its completion and lint listeners). Syntax
 * errors are counted on each statement's parser, never thrown; the last piece may hold only the end
 * of input.
 */
export function parseStatements(query: string): GrammarStatement[] {
  const lexer = new CypherCmdLexer(CharStream.fromString(query))
  return splitIntoStatements(new CommonTokenStream(lexer)).map((tokens) => {
    const parser = new CypherCmdParser(new CommonTokenStream(new ListTokenSource(tokens)))
    parser.removeErrorListeners()
    return { parser, ctx: parser.statementsOrCommands() }
  })
}
