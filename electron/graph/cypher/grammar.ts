// Neo4j's ANTLR-generated Cypher lexer and parser from @neo4j-cypher/language-support, loaded on their
// own. The package's one entry point (its index) also loads completion, linting, formatting, hover
// help and test data: about 2.4 s of CPU in every new query worker, against 0.5 s for the lexer and
// parser (docs/PERFORMANCE.md, "Query worker start-up"). Its package.json exports nothing else, so the
// files are imported by path; electron-vite bundles them (and antlr4ng, the ANTLR runtime they use)
// into the graph worker.
import { type ATNConfigSet, BailErrorStrategy, CharStream, CommonTokenStream, DefaultErrorStrategy, ListTokenSource, ParseCancellationException, ParserATNSimulator, PredictionMode, Token, type ParserRuleContext, type TokenStream } from 'antlr4ng'
import { CypherCmdLexer } from '../../../node_modules/@neo4j-cypher/language-support/dist/esm/project/language-support/src/generated-parser/CypherCmdLexer.js'
import { CypherCmdParser, type StatementsOrCommandsContext } from '../../../node_modules/@neo4j-cypher/language-support/dist/esm/project/language-support/src/generated-parser/CypherCmdParser.js'
import { splitIntoStatements } from '../../../node_modules/@neo4j-cypher/language-support/dist/esm/project/language-support/src/helpers.js'

/** The first syntax error ANTLR reported in a statement: its 1-based line, 0-based column and message. */
export interface FirstSyntaxError {
  line: number
  column: number
  msg: string
}

/** One statement of a query text: its parser (rule names, syntax error count), its tree, and the first syntax error when there are any. */
export interface GrammarStatement {
  parser: CypherCmdParser
  ctx: StatementsOrCommandsContext
  firstError?: FirstSyntaxError
}

/**
 * Thrown by parseStatements when its full-context (LL) prediction steps over more ATN configurations
 * than its budget allows; `line` and `column` (1-based) are where the parser was deciding.
 */
export class ParseTooComplex extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
  ) {
    super(`The parser gave up at line ${line}, column ${column}: deciding the structure there took too much work.`)
  }
}

/**
 * The budget of ATN configurations LL prediction may step over: in one decision, and in one query
 * text (a fixed part and a part per token, white space and comments not counted). It counts work,
 * not time, so it does not depend on the machine's load. Measured (LL only): the statements of the
 * test suite use at most 954 in a decision and 1,700 in all; a list of 2,000 negative numbers with a
 * syntax error after it 96 and 192,000 (about 32 per token). Nested CASEs use about 550 times the
 * depth in their first decision and 300 times its square in all (20: 118,000; 40: 482,000, 1.7-4.7
 * s), so a syntax error inside 10 or more of them is refused as too complex rather than located
 * (100: refused after 5,000, in milliseconds). The per-decision bound is what keeps a long text
 * (a large per-token budget) from paying for deep nesting.
 */
export const FULL_CONTEXT_WORK = { perDecision: 5_000, fixed: 20_000, perToken: 50 }

/** What one query text's parse has spent of its LL budget, shared by its statements. */
interface Budget {
  work: number
  limit: number
}

/** ANTLR's prediction, counting the configurations LL prediction steps over (`computeReachSet` with a full context) against the budgets. */
class BoundedSimulator extends ParserATNSimulator {
  /** Spent in the current decision. */
  private decisionWork = 0

  constructor(
    private readonly recognizer: CypherCmdParser,
    private readonly budget: Budget,
  ) {
    super(recognizer, recognizer.atn, recognizer.interpreter.decisionToDFA, recognizer.interpreter.sharedContextCache)
  }

  override adaptivePredict(input: TokenStream, decision: number, outerContext: ParserRuleContext | null): number {
    this.decisionWork = 0
    return super.adaptivePredict(input, decision, outerContext)
  }

  protected override computeReachSet(closure: ATNConfigSet, t: number, fullCtx: boolean): ATNConfigSet | null {
    if (fullCtx && ((this.decisionWork += closure.length) > FULL_CONTEXT_WORK.perDecision || (this.budget.work += closure.length) > this.budget.limit)) {
      const at = this.recognizer.getCurrentToken()
      throw new ParseTooComplex(at.line, at.column + 1)
    }
    return super.computeReachSet(closure, t, fullCtx)
  }
}

/**
 * Splits `query` at its semicolons and parses each piece, as the language service's own parse does
 * (cypherLanguageService.js createParsingResult, without its completion and lint listeners). Syntax
 * errors are counted on each statement's parser and the first one kept, never thrown; the last piece
 * may hold only the end of input. Throws ParseTooComplex past the LL budget (FULL_CONTEXT_WORK).
 *
 * Each piece is parsed in two stages, as ANTLR's authors advise: first with SLL prediction, which
 * ignores the caller's context and gives up at the first error, then, only if that fails, again with
 * full LL prediction. ANTLR guarantees that an SLL parse which succeeds is the tree LL would build
 * (antlr4ng PredictionMode.SLL). Full LL is what made nested `CASE` cubic: `CASE` is also a
 * variable's name, so in `THEN CASE WHEN …` a nested CASE and the variable CASE followed by the
 * enclosing CASE's next WHEN differ only in how many ENDs follow; LL settles it for each CASE by
 * simulating the rest of the nested expression with every enclosing rule on its stack (reads
 * growing with the square of the depth, each costing more the deeper the stack): 40 levels took
 * 1.7 s, 100 levels 53 s. SLL takes milliseconds.
 * LL still runs when SLL fails (a syntax error, or one of the rare texts only LL can parse), so its
 * work is bounded.
 */
export function parseStatements(query: string): GrammarStatement[] {
  const lexer = new CypherCmdLexer(CharStream.fromString(query))
  const pieces = splitIntoStatements(new CommonTokenStream(lexer))
  // white space and comments (hidden tokens) give prediction no work
  const tokens = pieces.reduce((n, piece) => n + piece.filter((t) => t.channel === Token.DEFAULT_CHANNEL).length, 0)
  const budget: Budget = { work: 0, limit: FULL_CONTEXT_WORK.fixed + FULL_CONTEXT_WORK.perToken * tokens }
  return pieces.map((piece) => {
    const parser = new CypherCmdParser(new CommonTokenStream(new ListTokenSource(piece)))
    parser.removeErrorListeners()
    parser.interpreter = new BoundedSimulator(parser, budget)
    parser.interpreter.predictionMode = PredictionMode.SLL
    parser.errorHandler = new BailErrorStrategy()
    try {
      return { parser, ctx: parser.statementsOrCommands() }
    } catch (e) {
      if (!(e instanceof ParseCancellationException)) throw e
    }
    parser.reset()
    parser.interpreter.predictionMode = PredictionMode.LL
    parser.errorHandler = new DefaultErrorStrategy()
    let firstError: FirstSyntaxError | undefined
    parser.addErrorListener({
      syntaxError: (_r, _sym, line, column, msg) => {
        firstError ??= { line, column, msg }
      },
      reportAmbiguity() {},
      reportAttemptingFullContext() {},
      reportContextSensitivity() {},
    })
    return { parser, ctx: parser.statementsOrCommands(), firstError }
  })
}
