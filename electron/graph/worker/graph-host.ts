// The main thread's side of the graph workers: two request lanes answer requests (request-lane.ts),
// each a worker with a queue fair between users: one for graphs, schemas and reads, one for the
// requests that read users' files (import checks, previews), so a long check never holds a graph
// list or a vertex read; each running import (or GES split) gets a worker of its own (an idle one is kept for the next). Imports are
// stopped through a flag in shared memory, which the worker reads between batches, so a stop
// needs no message to get through a busy worker's event loop.
import type { Worker } from 'node:worker_threads'
import type { ImportPhase, ImportReport } from '../../../shared/graph'
import { AppError } from '../../../shared/errors'
import { CHANGING_A_GRAPH, DROPPING_A_GRAPH, fromErrorBody, graphError, refuseWhileImporting } from '../errors'
import { callsDeleteGraph, surelyRefusedWhileImporting } from '../cypher/surely-writes'
import { STOP, type ImportEnd, type ImportEvent, type ImportInput } from '../import/import-run'
import { applyChange, liveBytes } from '../import/report'
import { STOP_FLAG } from '../cypher/budget'
import type { GesSplitProgress, GesSplitResult } from '../ges/ges-split'
import type { GesSplitRequest } from '../ges/ges-sources'
import { graphFile } from '../store/catalog'
import { graphFileIdentity } from '../store/graph-file'
import { startGraphWorker, stopGraphWorker } from './boot'
import { QueryWorkerPool, type QueryWorkerCounts } from './query-pool'
import { QueryAdmission, type QuerySlot } from './query-admission'
import { RequestLane } from './request-lane'
import { assertGraphWriteRoom, graphWriteRefusal } from '../graph-room'
import { diskReserveOf } from '../../disk-reserve'
import { GROWS_A_GRAPH, REFUSED_WHILE_IMPORTING, type CypherAnswer, type CypherQuery, type FromWorker, type GraphOpName, type GraphOps, type ToWorker } from './protocol'

/** Queries that run at once (each in a worker of its own); more wait their turn (query-admission.ts: fairly between users). */
/** Seconds a parse-only check or a plan before a run (refuseBeforeRun) may take, with its wait for a query worker. */
const PARSE_TIMEOUT_S = 30
export const MAX_QUERY_WORKERS = 3
/**
 * At most this many run at once when the MAX_QUERY_WORKERS are all held by slow statements and
 * users who run nothing wait: each of those starts on a worker of its own (query-admission.ts).
 */
export const HARD_QUERY_WORKERS = MAX_QUERY_WORKERS + 2
/** Query workers kept loaded between queries (the parser takes a while to load). */
const IDLE_QUERY_WORKERS = 2
/** Heap of a query worker: a query that needs more fails alone ("out of memory") and the process lives. */
const QUERY_HEAP_MB = 1024
/** How long a stopped query may take to notice its flag before its worker is stopped (stopGraphWorker: terminated if it does not end itself either). */
const QUERY_STOP_GRACE_MS = 2000

interface RunningQuery {
  worker: Worker
  flag: Int32Array
  /** The graph it runs on. */
  graph: string
  /** Stops it as a cancel does, answering `error` at once. */
  stop(error: Error): void
  resolve(a: CypherAnswer): void
  reject(e: Error): void
}

/** What is known of a running import between its events (or of a GES import's split, phase `splitting`). */
export interface LiveImport {
  graph: string
  /** A GES import's split of its files (runGesSplit with `live`), or the import itself. */
  phase: ImportPhase
  /** The file the split is reading, as the request named it; null while importing. */
  file: string | null
  /** Of the phase: while splitting, the bytes of the user's files the split read of all of them. */
  bytesDone: number
  bytesTotal: number
  imported: number
  failed: number
  rowsPerSecond: number
  /** The report as of the last committed package. */
  report: ImportReport | null
}

/**
 * The bytes of the files a run's input was made from (a GES import's data files, which its split parts
 * were cut from): its live bytes are said in these, read `read` of `total` once the run has read all of its own.
 */
export interface SourceBytes {
  read: number
  total: number
}

/** What runImport tells and is told by: its events, whose it is (`user`: its requests' fair share), its stop, its source files' bytes. */
export interface ImportHooks {
  onEvent(e: ImportEvent): void
  user: string
  signal?: AbortSignal
  sourceBytes?: SourceBytes
}

interface RunningImport {
  input: ImportInput
  flag: Int32Array
  worker: Worker
  live: LiveImport
  sourceBytes?: SourceBytes
  onEvent(e: ImportEvent): void
  resolve(end: ImportEnd): void
  reject(e: Error): void
}

/**
 * An import's end as it stands once the graph file is looked at again: a graph dropped (or dropped
 * and made anew) while the import ran took the import's rows with it, so an import that thought it
 * succeeded failed, with that reason. The drop refuses a graph with an import (graphBusy); this
 * covers a file removed behind the app's back or in the moment between that check and the drop.
 */
function keptGraph(end: ImportEnd, graph: string, before: string | undefined, after: string | undefined): ImportEnd {
  if (end.outcome !== 'succeeded' || (before !== undefined && before === after)) return end
  const reason = `Graph [${graph}] was dropped while the import ran: the ${end.report.imported} rows it imported went with it.`
  return { outcome: 'failed', reason, report: { ...end.report, state: 'failed', reason } }
}

/** A GES split (runGesSplit) or a work folder's removal (removeGesWorkDir) running in an import worker: it ends with one message. */
interface RunningGesStep {
  flag: Int32Array
  worker: Worker
  /** A split's live figures (phase `splitting`) and its task id, which liveImport finds it by; none for a removal or an unnamed split. */
  live?: { taskId: string; figures: LiveImport; onProgress?(p: GesSplitProgress): void }
  resolve(r: unknown): void
  reject(e: Error): void
}

/**
 * The requests that read a user's files (up to megabytes each: an import check samples them, a
 * preview parses a head, a GES schema is parsed whole, a check's schema of up to 4 MiB too): their
 * own lane, so the graph list, schemas and vertex reads never wait behind them. They only read
 * graphs, so a stopped one's worker may be stopped without waiting for it.
 */
const FILE_REQUESTS: ReadonlySet<GraphOpName> = new Set<GraphOpName>(['import.sample', 'import.check', 'import.headers', 'files.preview', 'ges.schema', 'schema.parse'])
/** File requests one user may have waiting (one more runs): a page checks or previews one thing at a time. */
const FILE_REQUESTS_PER_USER = 4
/** Other requests one user may have waiting: a Graph page asks for a few at once, each short. */
const READS_PER_USER = 32
/** How long a file request whose caller hung up may take to notice before its worker is stopped (stopGraphWorker). */
const FILE_REQUEST_STOP_GRACE_MS = 2000

/**
 * Who sends a graph request: `user` gets a fair share of its lane; `signal` (a hang-up) withdraws
 * it. Required on every request so that nothing a client causes can miss its user's share: the
 * callers that named none shared one turn (atk12 LOW): TuGraph import_schema, GES imports,
 * algorithm and graph workflow checks. A job's work names its submitter.
 */
export interface RequestCaller {
  user: string
  signal?: AbortSignal
}


/** How long close() lets imports roll back their package before their workers are stopped (stopGraphWorker). */
const CLOSE_GRACE_MS = 3000

export class GraphHost {
  private readonly reads = new RequestLane(() => startGraphWorker({ dataDir: this.dataDir }), { what: 'graph reads and schema changes', perUser: READS_PER_USER })
  private readonly fileRequests = new RequestLane(() => startGraphWorker({ dataDir: this.dataDir }), {
    what: 'import checks and file previews',
    perUser: FILE_REQUESTS_PER_USER,
    stopGraceMs: FILE_REQUEST_STOP_GRACE_MS,
  })
  private readonly imports = new Map<number, RunningImport>()
  private readonly gesSteps = new Map<number, RunningGesStep>()
  /** Imports between their steps, by task id (holdLive; runImport while it waits for its graph's turn): what liveImport says of them. */
  private readonly between = new Map<string, LiveImport>()
  private idle: Worker[] = []
  /** Per graph, the end of the last import queued for it: imports into one graph run one at a time, as in TuGraph. */
  private readonly turns = new Map<string, Promise<unknown>>()
  private nextId = 1
  private closed = false
  private readonly queries = new Map<number, RunningQuery>()
  private readonly queryPool = new QueryWorkerPool(() => this.startQueryWorker(), HARD_QUERY_WORKERS, IDLE_QUERY_WORKERS, undefined, (w) => void stopGraphWorker(w))
  private readonly admission = new QueryAdmission(MAX_QUERY_WORKERS, { hard: HARD_QUERY_WORKERS })

  /**
   * `options.queryHeapMb`: the old-generation heap of each query worker (default QUERY_HEAP_MB; tests
   * run a worker out of memory with less). `options.unfinishedImportGraphs`: the graphs of import
   * jobs not yet ended, from the job store (queued ones have no worker here yet); without it only
   * the imports running here make a graph busy.
   */
  constructor(
    readonly dataDir: string,
    private readonly options: { queryHeapMb?: number; unfinishedImportGraphs?: () => readonly { graph: string; jobId: number }[] } = {},
  ) {}

  /**
   * Sends one request to its lane's worker (FILE_REQUESTS to the file lane, the rest to the reads
   * lane), after the requests of other users waiting there, round-robin (request-lane.ts). Rejects
   * with the worker's AppError; graph_busy (REFUSED_WHILE_IMPORTING); disk_nearly_full (503) for the
   * requests that grow a graph (GROWS_A_GRAPH) when the disk is down to its reserve; requests_queued (503) when
   * `caller.user` has as many waiting in that lane as one may; the signal's reason when `caller.signal`
   * aborts first (a running file request is stopped too); worker_failed if the worker died.
   */
  request<K extends GraphOpName>(op: K, params: GraphOps[K]['params'], caller: RequestCaller): Promise<GraphOps[K]['result']> {
    if (this.closed) return Promise.reject(graphError('worker_failed', 'the graph service is closed'))
    const doing = REFUSED_WHILE_IMPORTING[op]
    try {
      if (doing) refuseWhileImporting(this.busyGraphs(), (params as { graph: string }).graph, doing)
      if (GROWS_A_GRAPH.has(op)) assertGraphWriteRoom(this.dataDir)
    } catch (e) {
      return Promise.reject(e)
    }
    const lane = FILE_REQUESTS.has(op) ? this.fileRequests : this.reads
    const sent = lane.send(this.nextId++, op, params, caller.user, caller.signal) as Promise<GraphOps[K]['result']>
    if (op !== 'graphs.drop') return sent
    return sent.then((r) => {
      this.graphDropped((params as GraphOps['graphs.drop']['params']).graph)
      return r
    })
  }

  /**
   * Stops the statements running on `graph`, which has just been deleted (the native drop, or
   * dbms.graph.deleteGraph in a query worker): each answers graph_not_found saying so at once, and
   * its worker is free once it has read its stop flag (as after a cancel). Before, a read ran on
   * the deleted file until its own timeout, holding a worker.
   */
  private graphDropped(graph: string): void {
    for (const q of this.queries.values()) if (q.graph === graph) q.stop(graphError('graph_not_found', `Graph [${graph}] was deleted while this query ran.`))
  }

  /** Requests waiting and running per lane: what a status or a test reads. */
  get requestLoad(): { reads: { waiting: number; running: number }; files: { waiting: number; running: number } } {
    return { reads: this.reads.counts, files: this.fileRequests.counts }
  }

  /**
   * Runs an import in a worker of its own, after the imports already queued for the same graph, and
   * starts a query worker loading unless one is loaded or loading (QueryWorkerPool.warm). While it
   * waits for them, liveImport says phase `waiting` with the figures held for it (holdLive), else
   * `sourceBytes`' read of total (0 of 0 without). `signal` stops it: reason 'shutdown' leaves the task
   * resumable (once its turn comes), anything else cancels it, a running one at its next package, a
   * waiting one at once (within a read of its record, as `hooks.user`'s request on the reads lane:
   * cancelledBeforeItsTurn, its stored report kept, nothing written); the imports after it then wait
   * only for those before it. `sourceBytes`: its live bytes (liveImport) are said in those files' bytes,
   * the run's own scaled onto them (events keep the run's own). Resolves with how it ended; rejects
   * only if the worker died.
   */
  runImport(input: ImportInput, hooks: ImportHooks): Promise<ImportEnd> {
    // a query worker loads meanwhile (~1.4 s of CPU; idle it holds ~60 MB): while an import runs its
    // graph is read (the Graph page, a client watching the rows arrive) and writes into it are parsed to
    // be refused (runCypher); the first read waited for a cold worker (docs/PERFORMANCE.md, "Query worker start-up")
    this.queryPool.warm()
    const before = this.turns.get(input.graph)
    if (before) {
      hooks.onEvent({ type: 'log', level: 'INFO', text: `waiting for the import running into graph ${input.graph} to end` })
      // what it waits for, with the figures known so far (a GES import's split's): not 0 B of 0 B
      const last = this.between.get(input.taskId)
      this.between.set(input.taskId, { ...(last ?? idleFigures(input.graph, hooks.sourceBytes)), phase: 'waiting' })
    }
    /** started: its turn came and it runs; left: cancelled while it waited, it ended without a turn. */
    const state = { started: false, left: false }
    const own = (before ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        if (state.left) return null
        state.started = true
        return this.startImport(input, hooks)
      })
    const turn = own.catch(() => undefined)
    this.turns.set(input.graph, turn)
    void turn.then(() => {
      if (this.turns.get(input.graph) === turn) this.turns.delete(input.graph)
    })
    const run = new Promise<ImportEnd>((resolve, reject) => {
      own.then((end) => end && resolve(end), reject)
      if (before) this.leaveWhenCancelled(input, hooks, state, resolve)
    })
    void run.catch(() => undefined).finally(() => this.between.delete(input.taskId))
    return run
  }

  /**
   * A cancel of an import waiting for its turn (runImport) ends it at once: `resolve` gets its end as
   * its record has it (cancelledBeforeItsTurn), and `state.left` lets its turn pass, unless the turn
   * came while that was read (its run then halts on the flag the signal set) or the read failed (the
   * cancel then takes once its turn comes, as a shutdown always does: its record stays resumable).
   */
  private leaveWhenCancelled(input: ImportInput, hooks: ImportHooks, state: { started: boolean; left: boolean }, resolve: (end: ImportEnd) => void): void {
    const signal = hooks.signal
    if (!signal) return
    const onAbort = () => {
      if (state.started || signal.reason === 'shutdown') return
      this.request('import.cancelled', { input }, { user: hooks.user }).then(
        (end) => {
          if (state.started) return
          state.left = true
          hooks.onEvent({ type: 'log', level: 'WARN', text: `cancelled while waiting for the import running into graph ${input.graph}: nothing imported by this run` })
          resolve(end)
        },
        () => undefined,
      )
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  }

  private startImport(input: ImportInput, hooks: ImportHooks): Promise<ImportEnd> {
    if (this.closed) return Promise.reject(graphError('worker_failed', 'the graph service is closed'))
    const { worker, id, stop, flag, detach } = this.claimImportWorker(hooks.signal)
    this.between.delete(input.taskId) // its own figures from here
    const file = graphFile(this.dataDir, input.graph)
    const before = graphFileIdentity(file)
    return new Promise<ImportEnd>((resolve, reject) => {
      const live: LiveImport = { graph: input.graph, phase: 'importing', file: null, bytesDone: 0, bytesTotal: hooks.sourceBytes?.total ?? 0, imported: 0, failed: 0, rowsPerSecond: 0, report: null }
      this.imports.set(id, { input, flag, worker, live, sourceBytes: hooks.sourceBytes, onEvent: hooks.onEvent, resolve, reject })
      // the worker checks the disk's reserve before each package (import-run.ts assertRoom)
      worker.postMessage({ type: 'import', id, input: { ...input, diskReserveBytes: diskReserveOf(this.dataDir) }, stop } satisfies ToWorker)
    })
      .then((end) => keptGraph(end, input.graph, before, graphFileIdentity(file)))
      .finally(detach)
  }

  /**
   * Says `figures` (phase `preparing` or `waiting`, with the last known bytes) as the live state of
   * task `taskId` (liveImport) from now until its import starts (runImport) or the returned release
   * is called, whichever is first: a GES import between its split and its import is still running,
   * and its status says what it does then. Call release when the task ends (a finally).
   */
  holdLive(taskId: string, figures: Pick<LiveImport, 'graph' | 'phase' | 'bytesDone' | 'bytesTotal'>): () => void {
    const held: LiveImport = { ...idleFigures(figures.graph), ...figures }
    this.between.set(taskId, held)
    return () => {
      if (this.between.get(taskId) === held) this.between.delete(taskId)
    }
  }

  /**
   * Lists a GES import's files (ges/ges-sources.ts) and splits them per label (ges/ges-split.ts) in
   * an import worker, so that no folder is listed and no line read on this thread. `signal` stops it:
   * the result then says `stopped`. With `live`, liveImport(`live.taskId`) answers its figures while it
   * runs (phase `splitting`: the user's files' bytes read of all, the file being read) and
   * `live.onProgress` hears each word of the worker (at most every SPLIT_PROGRESS_MS). Rejects with the
   * worker's error (too_many_files, a path that does not resolve, a file that cannot be read or
   * written), or worker_failed if the worker died.
   */
  runGesSplit(input: GesSplitRequest, signal?: AbortSignal, live?: { taskId: string; graph: string; onProgress?(p: GesSplitProgress): void }): Promise<GesSplitResult> {
    const step = live && { taskId: live.taskId, onProgress: live.onProgress, figures: { graph: live.graph, phase: 'splitting' as const, file: null, bytesDone: 0, bytesTotal: 0, imported: 0, failed: 0, rowsPerSecond: 0, report: null } }
    return this.runGesStep<GesSplitResult>((id, stop) => ({ type: 'ges-split', id, input, stop }), signal, step)
  }

  /**
   * Removes a GES import's work folder `<…>/.ges-import/<job>` with its split files in an import
   * worker (ges/ges-split.ts removeWorkDir): thousands of unlinks never run on this thread. Rejects
   * with what removing threw, or worker_failed if the worker died or the service is closed.
   */
  removeGesWorkDir(workDir: string): Promise<void> {
    return this.runGesStep<void>((id) => ({ type: 'ges-remove', id, workDir }))
  }

  /** Sends one GES step (`message`, made with the job's id and stop flag) to an import worker; settles with its one answer. */
  private runGesStep<T>(message: (id: number, stop: SharedArrayBuffer) => ToWorker, signal?: AbortSignal, live?: RunningGesStep['live']): Promise<T> {
    if (this.closed) return Promise.reject(graphError('worker_failed', 'the graph service is closed'))
    const { worker, id, stop, flag, detach } = this.claimImportWorker(signal)
    return new Promise<T>((resolve, reject) => {
      this.gesSteps.set(id, { flag, worker, live, resolve: resolve as (r: unknown) => void, reject })
      worker.postMessage(message(id, stop))
    }).finally(detach)
  }

  /**
   * An import worker (an idle one, or a new one) for one job, referenced while it works, with the
   * job's id and its stop flag in shared memory: `signal` sets the flag (STOP.shutdown when aborted
   * with reason 'shutdown', else STOP.cancel). Call `detach` once the job has ended.
   */
  private claimImportWorker(signal?: AbortSignal): { worker: Worker; id: number; stop: SharedArrayBuffer; flag: Int32Array; detach(): void } {
    const worker = this.idle.pop() ?? this.startImportWorker()
    worker.ref()
    const stop = new SharedArrayBuffer(4)
    const flag = new Int32Array(stop)
    const onAbort = () => Atomics.store(flag, 0, signal?.reason === 'shutdown' ? STOP.shutdown : STOP.cancel)
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    return { worker, id: this.nextId++, stop, flag, detach: () => signal?.removeEventListener('abort', onAbort) }
  }

  /** An import worker that has ended its job: kept idle for the next one, or ended. */
  private releaseImportWorker(worker: Worker): void {
    worker.unref()
    if (!this.closed && this.idle.length === 0) this.idle.push(worker)
    else void stopGraphWorker(worker)
  }

  private startImportWorker(): Worker {
    const worker = startGraphWorker({ dataDir: this.dataDir })
    worker.unref()
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ges-split-progress') {
        const live = this.gesSteps.get(m.id)?.live
        if (!live) return
        Object.assign(live.figures, { bytesDone: m.progress.bytesRead, bytesTotal: m.progress.bytesTotal, file: m.progress.file })
        live.onProgress?.(m.progress)
        return
      }
      if (m.type === 'ges-split-end' || m.type === 'ges-remove-end') {
        const step = this.gesSteps.get(m.id)
        if (!step) return
        this.gesSteps.delete(m.id)
        this.releaseImportWorker(worker)
        if (m.ok) step.resolve(m.result)
        else step.reject(fromErrorBody(m.error))
        return
      }
      if (m.type !== 'import-event' && m.type !== 'import-end') return
      const job = this.imports.get(m.id)
      if (!job) return
      if (m.type === 'import-event') {
        if (m.event.type === 'progress') {
          const { bytesDone, bytesTotal, imported, failed, rowsPerSecond, report, change } = m.event
          Object.assign(job.live, liveBytes(bytesDone, bytesTotal, job.sourceBytes), { imported, failed, rowsPerSecond }, report ? { report } : {})
          if (change && job.live.report) applyChange(job.live.report, change)
        }
        job.onEvent(m.event)
        return
      }
      this.imports.delete(m.id)
      this.releaseImportWorker(worker)
      job.resolve(m.end)
    })
    const died = (why: string) => {
      this.idle = this.idle.filter((w) => w !== worker)
      for (const [id, job] of this.imports) {
        if (job.worker !== worker) continue
        this.imports.delete(id)
        job.reject(graphError('worker_failed', `the import worker stopped: ${why}`))
      }
      for (const [id, step] of this.gesSteps) {
        if (step.worker !== worker) continue
        this.gesSteps.delete(id)
        step.reject(graphError('worker_failed', `the import worker stopped: ${why}`))
      }
    }
    worker.on('error', (e) => died(e.message))
    worker.on('exit', (code) => died(`exit code ${code}`))
    return worker
  }

  /** The live state of a running import (or of a GES import's split, run with `live`, or of one between its steps: holdLive, a wait for its graph's turn) by task id, or undefined when none is here. */
  liveImport(taskId: string): LiveImport | undefined {
    for (const job of this.imports.values()) if (job.input.taskId === taskId) return job.live
    for (const step of this.gesSteps.values()) if (step.live?.taskId === taskId) return step.live.figures
    return this.between.get(taskId)
  }

  /**
   * The graphs with an import queued or running, each with the imports that hold it ("job 12", "jobs
   * 12, 14"; an import run here without a job store: "import <task id>"): they may not be dropped, nor
   * their labels, indexes or data changed (errors.ts refuseWhileImporting): request refuses the requests
   * that would (protocol.ts REFUSED_WHILE_IMPORTING), runCypher a statement that surely writes once it parses, and each
   * Cypher statement gets the map as it starts.
   */
  busyGraphs(): Map<string, string> {
    const jobs = new Map<string, number[]>()
    for (const { graph, jobId } of this.options.unfinishedImportGraphs?.() ?? []) jobs.set(graph, [...(jobs.get(graph) ?? []), jobId])
    const busy = new Map([...jobs].map(([graph, ids]) => [graph, `${ids.length === 1 ? 'job' : 'jobs'} ${ids.join(', ')}`]))
    for (const j of this.imports.values()) if (!busy.has(j.input.graph)) busy.set(j.input.graph, `import ${j.input.taskId}`)
    return busy
  }

  /**
   * Runs a Cypher statement in a query worker (never on this thread), one that has loaded the
   * parser: the wait for a free or loading worker is not part of the statement's timeout. `signal`
   * cancels it (answered at once); the timeout is enforced in the worker, and here too: a worker that
   * does not stop within a grace period after its timeout or a cancel is stopped (stopGraphWorker:
   * terminated as a last resort) and its caller answered. Rejects with the worker's
   * AppError, query_timeout, query_cancelled, query_too_large when the worker ran out of memory, or
   * graph_not_found at once when its graph is deleted while it runs (graphDropped).
   * The statement waits for a worker in a queue fair between users (query-admission.ts); its
   * timeout counts from its arrival, and a timeout says how long it waited in the queue. A statement refused on a graph an
   * import holds is refused before it runs (refuseBeforeRun).
   */
  async runCypher(query: CypherQuery, signal?: AbortSignal): Promise<CypherAnswer> {
    if (this.closed) throw graphError('worker_failed', 'the graph service is closed')
    if (!query.parseOnly && !query.planOnly) await this.refuseBeforeRun(query, signal)
    const timeoutMs = (query.timeoutSeconds ?? 0) * 1000
    const slot = await this.admission.admit(query.actor.username, { signal, timeoutMs })
    try {
      if (this.closed) throw graphError('worker_failed', 'the graph service is closed')
      const rest = timeoutMs > 0 && slot.waitedMs >= QUEUE_WAIT_NOTED_MS ? { timeoutSeconds: Math.max(0.001, (timeoutMs - slot.waitedMs) / 1000) } : {}
      return await this.runAdmitted({ ...query, ...rest }, signal)
    } catch (e) {
      throw withQueueWait(e, query.timeoutSeconds, slot)
    } finally {
      slot.release()
    }
  }

  /**
   * While an import holds a graph, a statement that the engine surely refuses on it (surelyRefusedWhileImporting:
   * a write clause, a write procedure), and one that may drop a graph (callsDeleteGraph), is only planned
   * in a query worker first (planOnly): its own errors win, as on any graph (syntax, planning, a parameter
   * not given, the UNWIND estimate, not_graph_owner, deleteGraph's not_admin…), then it is refused graph_busy
   * naming the import, as of the end of that plan, never run: it waits neither for the graph's lock nor a run.
   * What this misses the engine still refuses as it runs (execute.ts, procedures.ts).
   */
  private async refuseBeforeRun(query: CypherQuery, signal?: AbortSignal): Promise<void> {
    const busy = this.busyGraphs()
    if (busy.size === 0) return
    const held = busy.has(query.graph) && surelyRefusedWhileImporting(query.script)
    if (!held && !callsDeleteGraph(query.script)) return
    const { jsonFormat: _json, packRows: _packed, ...plain } = query
    const answer = await this.runCypher({ ...plain, planOnly: true, timeoutSeconds: Math.min(query.timeoutSeconds || PARSE_TIMEOUT_S, PARSE_TIMEOUT_S) }, signal)
    const drops = 'planned' in answer ? answer.planned.drops : []
    // an import that ended while it was planned lets it run
    const now = this.busyGraphs()
    if (held) refuseWhileImporting(now, query.graph, CHANGING_A_GRAPH)
    for (const graph of drops) refuseWhileImporting(now, graph, DROPPING_A_GRAPH)
  }

  /** Statements waiting for a query worker and running in one (query-admission.ts): what a status or a test reads. */
  get queryLoad(): { waiting: number; running: number } {
    return this.admission.counts
  }

  /** The query workers by state (query-pool.ts): what a test waits on instead of sleeping. */
  get queryWorkers(): QueryWorkerCounts {
    return this.queryPool.counts
  }

  /**
   * Parses a Cypher statement in a query worker (the parser loads there only) without opening a
   * graph: resolves when it is one statement TuGraph's dialect runs, else rejects with
   * cypher_syntax (line and column) or cypher_unsupported. Admitted as a query of `user`.
   */
  async checkCypher(script: string, user = '', signal?: AbortSignal): Promise<void> {
    await this.runCypher({ graph: '', script, parseOnly: true, actor: { username: user, isAdmin: false }, timeoutSeconds: PARSE_TIMEOUT_S }, signal)
  }

  private async runAdmitted(query: CypherQuery, signal?: AbortSignal): Promise<CypherAnswer> {
    if (signal?.aborted) throw graphError('query_cancelled', 'Query cancelled.')
    const worker = await this.queryPool.acquire(signal)
    worker.ref()
    const id = this.nextId++
    const stop = new SharedArrayBuffer(4)
    const flag = new Int32Array(stop)
    let timer: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    let stopped = false
    try {
      return await new Promise<CypherAnswer>((resolve, reject) => {
        const entry: RunningQuery = { worker, flag, graph: query.graph, resolve, reject, stop: () => undefined }
        this.queries.set(id, entry)
        // A cancel is answered at once; a timeout by the worker, which counts it from the statement's
        // start there (a worker slow to take the message, on a busy machine, must not fail a quick
        // statement), or at the grace. Either way the worker stops at its next check of the flag
        // (Budget.tick, every 32 rows) and answers, which hands it back to the pool. One that has not
        // answered within the grace is stuck where no flag is read: it is stopped, terminated only as
        // a last resort (a thread terminated inside a SQLite call can abort the process).
        const hardStop = (error: Error, value: number) => {
          if (stopped) return
          stopped = true
          Atomics.store(flag, 0, value)
          if (value === STOP_FLAG.cancel) reject(error)
          setTimeout(() => {
            if (!this.queries.has(id)) return
            this.queries.delete(id)
            this.queryPool.discard(worker)
            reject(error)
          }, QUERY_STOP_GRACE_MS).unref()
        }
        entry.stop = (error) => hardStop(error, STOP_FLAG.cancel)
        onAbort = () => entry.stop(graphError('query_cancelled', 'Query cancelled.'))
        signal?.addEventListener('abort', onAbort, { once: true })
        const t = query.timeoutSeconds ?? 0
        if (t > 0) timer = setTimeout(() => hardStop(graphError('query_timeout', `Query timed out after ${t} s (the request's timeout).`), STOP_FLAG.timeout), t * 1000)
        // the graphs a statement may not drop or change the labels of, as of its start (dbms.graph.deleteGraph, db.dropDB, …)
        // …and whether the disk is down to its reserve: a statement that may grow the graph is then refused (one statfs per READ_MS, disk-reserve.ts)
        const diskFull = graphWriteRefusal(this.dataDir)?.message
        worker.postMessage({ type: 'cypher', id, query: { ...query, busyGraphs: this.busyGraphs(), ...(diskFull ? { diskFull } : {}) }, stop } satisfies ToWorker)
      })
    } finally {
      clearTimeout(timer)
      if (onAbort) signal?.removeEventListener('abort', onAbort)
      if (!stopped) this.queries.delete(id) // a stopped one stays until its worker answers or is discarded
    }
  }

  private startQueryWorker(): Worker {
    const worker = startGraphWorker({ dataDir: this.dataDir, warmCypher: true }, { maxOldGenerationSizeMb: this.options.queryHeapMb ?? QUERY_HEAP_MB })
    worker.unref()
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'graph-dropped') this.graphDropped(m.graph)
      if (m.type !== 'cypher-end') return
      const q = this.queries.get(m.id)
      if (!q) return
      this.queries.delete(m.id)
      worker.unref()
      this.queryPool.release(worker)
      if (m.ok) q.resolve(m.result)
      else q.reject(fromErrorBody(m.error))
    })
    const died = (why: string, oom: boolean) => {
      for (const [id, q] of this.queries) {
        if (q.worker !== worker) continue
        this.queries.delete(id)
        q.reject(oom ? graphError('query_too_large', 'Query ran out of memory: narrow the MATCH or add LIMIT.') : graphError('worker_failed', `the query worker stopped: ${why}`))
      }
    }
    worker.on('error', (e) => died(e.message, (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'))
    worker.on('exit', (code) => died(`exit code ${code}`, false))
    return worker
  }

  /** Stops running imports as a shutdown (they stay resumable), then ends every worker. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const running = [...this.imports.values()]
    const ended = running.map((j) => new Promise<void>((done) => {
      const { resolve, reject } = j
      j.resolve = (end) => { resolve(end); done() }
      j.reject = (e) => { reject(e); done() }
    }))
    for (const j of running) Atomics.store(j.flag, 0, STOP.shutdown)
    const stepping = [...this.gesSteps.values()]
    for (const s of stepping) Atomics.store(s.flag, 0, STOP.shutdown)
    await Promise.race([Promise.all(ended), new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())])
    for (const q of this.queries.values()) Atomics.store(q.flag, 0, STOP_FLAG.cancel)
    const queryWorkers = this.queryPool.close()
    for (const q of this.queries.values()) q.reject(graphError('worker_failed', 'the graph service is closing'))
    this.queries.clear()
    this.admission.close(() => graphError('worker_failed', 'the graph service is closing'))
    for (const s of stepping) s.reject(graphError('worker_failed', 'the graph service is closing'))
    this.gesSteps.clear()
    const closing = () => graphError('worker_failed', 'the graph service is closing')
    const workers = [this.reads.close(closing), this.fileRequests.close(closing), ...this.idle, ...running.map((j) => j.worker), ...stepping.map((s) => s.worker), ...queryWorkers].filter((w): w is Worker => w !== null)
    this.idle = []
    // asked to end themselves (their flags are set): terminated only if one does not within a grace (boot.ts)
    await Promise.all(workers.map((w) => stopGraphWorker(w)))
  }
}

/** A wait for a query worker shorter than this is not worth taking off the timeout or mentioning. */
const QUEUE_WAIT_NOTED_MS = 100

/** A query_timeout of a statement that waited for its worker says so: the wait counted against its timeout. */
function withQueueWait(e: unknown, timeoutSeconds: number | undefined, slot: QuerySlot): unknown {
  if (!(e instanceof AppError) || e.code !== 'query_timeout' || slot.waitedMs < QUEUE_WAIT_NOTED_MS) return e
  return graphError('query_timeout', `Query timed out after ${timeoutSeconds} s (the request's timeout), ${(slot.waitedMs / 1000).toFixed(1)} s of it waiting for a query worker.`)
}

/** The live state of an import into `graph` that has imported nothing yet: the bytes of `source` read so far (none without it). */
function idleFigures(graph: string, source?: SourceBytes): LiveImport {
  return { graph, phase: 'waiting', file: null, bytesDone: source?.read ?? 0, bytesTotal: source?.total ?? 0, imported: 0, failed: 0, rowsPerSecond: 0, report: null }
}
