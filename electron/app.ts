import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import type { Server as NodeServer } from 'node:http'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import pkg from '../package.json'
import { ConfigError, type AppConfig } from './config'
import { Engine, type SubmitterLoad } from './engine/engine'
import { newcomerLane, nonAdminShare } from './engine/fair-queue'
import { ExecutorRegistry } from './engine/executor'
import { httpExecutor } from './executors/http'
import { noopExecutor } from './executors/noop'
import { createPythonExecutor, createShellExecutor } from './executors/process'
import { cleanStaleRunCgroups, runConfinement, type RunConfinement } from './executors/run-cgroup'
import { createSqlExecutor } from './executors/sql'
import { SqlMemoryBudget } from './executors/sql-memory'
import { createCypherExecutor } from './executors/cypher'
import { isLoopbackHost } from './http/host'
import { createGraphRights, type RunRights } from './graph/graph-rights'
import { createGraphService, type GraphService } from './graph/graph.service'
import { createImportExecutor } from './graph/import/import.executor'
import { AlgorithmHost, type AlgorithmHostOptions } from './graph/algorithms/algorithm-host'
import { createGesImportExecutor } from './graph/ges/ges-import.executor'
import { WORK_ROOT as GES_WORK_ROOT } from './graph/ges/ges-split'
import { removeStaleGesWorkDirs, setAsideGesWorkDirs } from './graph/ges/ges-work-sweep'
import { createAlgorithmExecutor } from './graph/algorithms/algorithm.executor'
import { createAlgorithmService, type AlgorithmService } from './graph/algorithms/algorithm.service'
import { ensureDefaultGraph } from './graph/store/catalog'
import { createComponentExecutor } from './graph/workflows/component.executor'
import { createGraphWorkflowService, type GraphWorkflowService } from './services/graph-workflows.service'
import { GraphHost } from './graph/worker/graph-host'
import { buildServer } from './http/server'
import { IN_FLIGHT_GRACE_MS } from './http/starting'
import { LISTEN_BACKLOG, type ConnectionLimits } from './http/connection-limits'
import type { EventStreamLimits } from './http/native/event-stream'
import { createAccessKeys } from './services/access-keys'
import { createAuthService, DEFAULT_ADMIN, type AuthService } from './services/auth.service'
import { createExporter, type ExporterOptions } from './services/export/exporter'
import { createJobsService } from './services/jobs.service'
import { createHandlers, serverSettings, type Handlers } from './services/operations'
import { createUsersService, defaultPasswordRefusal } from './services/users.service'
import { createResumeCheck, createStartCheck, stopDisabledUsersWork, watchRunRights } from './services/run-rights'
import { lockDataDir, type InstanceLock } from './instance-lock'
import { openStore, type Store } from './store'
import { startCheckpointer } from './store/checkpointer'
import { ownWritersOf } from './store/own-writers'
import { endStoreReaders } from './store/store-readers'
import { watchStalls } from './stall-watch'
import { createResultQueries } from './store/result-query'
import { submitsAsAdmin } from './workflows/rillflow/ownership'
import { assertHeldRoom, assertQueueRoom, assertKeptRoom, MAX_HELD_WORK_PER_USER, MAX_KEPT_BYTES_PER_USER, type HeldBound } from '../shared/quotas'
import { assertDiskRoom, DISK_RESERVE_BYTES, setDiskReserve } from './disk-reserve'
import { createWorkflowRoom } from './workflow-room'
import { createRillFlow } from './workflows/rillflow'
import { parseAnswerOffThread } from './services/json-parser'
import type { WorkflowService } from './workflows/rillflow/service'

export const VERSION: string = pkg.version

export interface JobDeskApp {
  url: string
  store: Store
  engine: Engine
  auth: AuthService
  handlers: Handlers
  workflows: WorkflowService
  /** Graphs, schemas, uploaded files and imports (electron/graph/README.md). */
  graph: GraphService
  /** The graph workers below the graph service (graph/worker/graph-host.ts): their lanes, imports and query workers. */
  graphHost: GraphHost
  /** Algorithm jobs on graphs and uploaded edge files (electron/graph/algorithms/README.md). */
  algorithms: AlgorithmService
  /** Explorer-style graph workflows (shared/graph-workflows.ts). */
  graphWorkflows: GraphWorkflowService
  /** Whether each script run gets a cgroup, so that cancel reaches every process it started (executors/run-cgroup.ts). */
  scriptConfinement: RunConfinement
  server: FastifyInstance
  close(): Promise<void>
}

/**
 * A start refused because it would open the server to the network (a non-loopback `host`, or
 * Settings → Server's "Listen on the network") while an admin still has the default password: the
 * message says why and how to fix it. A ConfigError, so `serve` prints it and exits with code 2;
 * the desktop app explains it and starts on loopback instead (main/instance.ts).
 */
export class NetworkRefusedError extends ConfigError {}

/** The refusal to listen on `host` (what `asked` for it: `--host 0.0.0.0`) while `refusal` holds (users.service.ts networkRefusal's words). */
function networkRefused(host: string, asked: string, refusal: string): NetworkRefusedError {
  return new NetworkRefusedError(
    `refusing to listen on ${host} (${asked}): ${refusal}; anyone who reaches the server could sign in as admin with the well-known one. ` +
      `Start JobDesk on this computer only (without --host), sign in as admin at http://127.0.0.1:<port> and choose a new password, then start it again`,
  )
}

export interface StartOptions extends AppConfig {
  staticDir?: string
  logger?: boolean
  /** Report main-thread stalls over 200 ms on stderr (stall-watch.ts): the process entries do, in-process test apps do not. */
  watchStalls?: boolean
  /** How often an open event stream checks its session (15 s unless a test sets it: native/events.ts). */
  eventSessionCheckMs?: number
  /** How many event streams each user and all users may hold open (http/native/event-stream.ts EVENT_STREAM_LIMITS unless set). */
  eventStreams?: EventStreamLimits
  /** How many connections the server holds and how long a request may take to arrive (http/connection-limits.ts's defaults unless set). */
  connections?: ConnectionLimits
  /** The clock sign-ins, sessions and device cookies are timed by (epoch ms): Date.now unless a test stills it (createAuthService). */
  authNow?: () => number
  /** Listen on 127.0.0.1 whatever `host` and Settings say (the desktop app's start after a NetworkRefusedError). */
  loopbackOnly?: boolean
  /** Bytes kept free on the data folder's disk: less free refuses new jobs and uploads (disk-reserve.ts DISK_RESERVE_BYTES unless set). */
  diskReserveBytes?: number
  /** What one user's jobs keep in all: result rows, code, logs and state (shared/quotas.ts MAX_KEPT_BYTES_PER_USER unless set). */
  maxKeptBytesPerUser?: number
  /** What one user's unfinished jobs may hold in the engine's memory: jobs, their tasks in all, bytes of their state (shared/quotas.ts MAX_HELD_WORK_PER_USER where not set). */
  maxHeldWorkPerUser?: Partial<HeldBound>
  /** What the versions of one user's workflows take in all (shared/quotas.ts MAX_WORKFLOW_BYTES_PER_USER unless set). */
  maxWorkflowBytesPerUser?: number
  /** How long exports wait for a slow reader (exporter.ts EXPORT_IDLE_MS and EXPORT_YIELD_MS unless set). */
  exportPace?: Pick<ExporterOptions, 'idleMs' | 'yieldMs'>
  /** What algorithm runs may hold and how many run at once (graph/algorithms/limits.ts unless set). */
  algorithmRuns?: AlgorithmHostOptions
  /**
   * What the memory limits of all running SQL jobs may add up to (bytes): a SQL job past it waits until one
   * ends (executors/sql-memory.ts; half the machine's memory, defaultSqlMemoryBudget, unless set).
   */
  sqlMemoryBudgetBytes?: number
}

/**
 * The composition root: the data folder's lock, store, engine, services and the HTTP server, started
 * in that order. close() lets the folder go last.
 * @throws DataDirInUseError (instance-lock.ts) when another JobDesk runs on `o.dataDir`: nothing in
 *   the folder was opened. On any later failure (the port is in use) the folder is let go again.
 */
export async function startApp(o: StartOptions): Promise<JobDeskApp> {
  // A folder without a database gets the default admin with the default password: a start asked for
  // the network there is refused before the folder or anything in it is made (README: "without opening anything")
  if (!o.loopbackOnly && !isLoopbackHost(o.host) && !existsSync(join(o.dataDir, 'jobdesk.db'))) {
    throw networkRefused(o.host, `--host ${o.host}`, defaultPasswordRefusal([DEFAULT_ADMIN.username]))
  }
  // Before the store opens (migrations) and recovery runs: both would act on another JobDesk's live jobs.
  const lock = lockDataDir(o.dataDir)
  try {
    return await startLocked(o, lock)
  } catch (e) {
    lock.release() // so that a retry (the desktop app's on another port) or a later start may take it
    throw e
  }
}

async function startLocked(o: StartOptions, lock: InstanceLock): Promise<JobDeskApp> {
  const dbFile = join(o.dataDir, 'jobdesk.db')
  const store = openStore(dbFile)
  const checkpointer = startCheckpointer(store.db, dbFile)
  const auth = createAuthService(store, o.authNow)
  await auth.ensureDefaultAdmin()
  const users = createUsersService(store)
  // Loopback unless the user opened the server to the network in Settings (or --host says so).
  const exposure = serverSettings(store)
  const listenHost = o.loopbackOnly ? '127.0.0.1' : o.host === '127.0.0.1' && exposure.allowRemote ? '0.0.0.0' : o.host
  const remote = !isLoopbackHost(listenHost)
  // the rule Settings → Server keeps (users.service.ts networkRefusal), before anything else starts
  const refusal = remote ? await users.networkRefusal() : undefined
  if (refusal) {
    await checkpointer.stop()
    store.close()
    throw networkRefused(listenHost, listenHost === o.host ? `--host ${o.host}` : 'Settings → Server → "Listen on the network"', refusal)
  }
  store.users.purgeExpiredTokens()
  const listening = { url: '' }
  // nothing is stored while the data folder's disk is down to its reserve (disk-reserve.ts): new jobs,
  // uploads, workflow versions; and a user's workflow versions take at most their quota (shared/quotas.ts)
  setDiskReserve(o.dataDir, o.diskReserveBytes ?? DISK_RESERVE_BYTES)
  const workflowRoom = createWorkflowRoom(o.dataDir, store.workflowBytes, o.maxWorkflowBytesPerUser)
  const rillflow = createRillFlow(store, () => listening.url, parseAnswerOffThread, workflowRoom)
  const scratchRoot = join(o.dataDir, 'scratch')
  const scripts = { workRoot: join(o.dataDir, 'work'), results: store.results }
  cleanStaleRunCgroups() // what the runs of a crashed JobDesk left; before recovery, which reaps by marker and cgroup too
  const scriptConfinement = runConfinement()
  if (scriptConfinement.kind === 'none') {
    console.warn(`jobdesk: scripts are not confined to a cgroup: ${scriptConfinement.summary}; cancel finds their processes by environment marker, process group and parent (on Windows: the process tree), and misses one that clears its environment and leaves its parent`)
  }
  ensureDefaultGraph(o.dataDir)
  // before the engine runs a task: every GES work folder there is one a stopped process left
  const staleGesWork = setAsideGesWorkDirs(o.dataDir, (text) => console.warn(`jobdesk: ${text}`))
  const graphHost = new GraphHost(o.dataDir, { unfinishedImportGraphs: () => store.jobs.unfinishedImportGraphs() })
  const algorithmHost = new AlgorithmHost(o.dataDir, o.algorithmRuns)
  // every executor that writes a graph checks its user's right when it runs (graph-rights.ts)
  const runRights: RunRights = { rights: createGraphRights(graphHost), userOf: store.users.caller }
  // a user's jobs keep at most so much in all, result rows, code, logs and state (shared/quotas.ts): a running job's rows
  // are cut at what is left, whichever executor stores them; a submit is refused once nothing is
  // (admit below); admins are exempt
  const maxKeptBytes = o.maxKeptBytesPerUser ?? MAX_KEPT_BYTES_PER_USER
  const resultQuotaOf = (jobId: number) => {
    // read at every batch of rows stored: the job's row without its input, context and result (megabytes, parsed)
    const submitter = store.jobs.getWithoutState(jobId)?.submitter
    return submitter === undefined || submitsAsAdmin(store.users, submitter) ? null : { submitter, maxBytes: maxKeptBytes }
  }
  store.results.holdToQuotas(resultQuotaOf) // every executor's rows (result.repository.ts append)
  // the SQL jobs running at once claim at most a budget of memory in all (the pool and the newcomer lane
  // could otherwise run 24 processes of up to 1 GiB each): past it a SQL job waits for one to end
  const sqlMemory = new SqlMemoryBudget(o.sqlMemoryBudgetBytes)
  const sqlExecutor = createSqlExecutor({ scratchRoot, storeFile: dbFile, results: store.results, resultQuotaOf, memory: sqlMemory, ownWriters: ownWritersOf(store.db) })
  const executors = new ExecutorRegistry([
    noopExecutor,
    httpExecutor,
    createShellExecutor(scripts),
    createPythonExecutor(scripts),
    sqlExecutor,
    createCypherExecutor({ host: graphHost, results: store.results, ...runRights }),
    createImportExecutor({ dataDir: o.dataDir, host: graphHost, jobs: store.jobs, results: store.results, store, ...runRights }),
    createAlgorithmExecutor({ dataDir: o.dataDir, host: algorithmHost, results: store.results, ...runRights }),
    createGesImportExecutor({ dataDir: o.dataDir, host: graphHost, ...runRights }),
    createComponentExecutor({ dataDir: o.dataDir, store, graphs: graphHost, algorithms: algorithmHost }),
    ...rillflow.executors,
  ])
  // admins may use the whole pool; anyone else a share of it (fair-queue.ts)
  // Admins, and Rill Flow's credential-less loopback client (it acts with admin rights on a
  // single-user desktop), may fill the pool; every other submitter keeps a reserve free for others.
  const shareOf = (submitter: string) => (submitsAsAdmin(store.users, submitter) ? o.concurrency : nonAdminShare(o.concurrency))
  // and however long others' tasks hold the pool, a submitter running nothing starts one at once, in a
  // small lane past it (fair19: six users' long jobs held every slot and a seventh's SELECT 1 waited)
  // each attempt starts only if its submitter may still run it, as whom it runs (services/run-rights.ts)
  // and the same submitters may queue and hold without limit; anyone else MAX_QUEUED_JOBS_PER_USER, while their
  // jobs keep less than their quota of result rows, code, logs and state, and their unfinished jobs hold at most
  // MAX_HELD_WORK_PER_USER in memory (jobs, tasks, bytes of state) (shared/quotas.ts; sub-flows and redos too, which the other two leave
  // alone: they belong to a job already accepted); nobody queues, starts a sub-flow or re-opens a job when the data folder's disk is down to its reserve (disk-reserve.ts)
  setDiskReserve(o.dataDir, o.diskReserveBytes ?? DISK_RESERVE_BYTES)
  const maxHeldWork: HeldBound = { ...MAX_HELD_WORK_PER_USER, ...o.maxHeldWorkPerUser }
  const admit = (submitter: string, load: SubmitterLoad) => {
    if (load.adding.jobs > 0) assertDiskRoom(o.dataDir, 'new jobs') // sub-flows and re-opened jobs write too
    if (submitsAsAdmin(store.users, submitter)) return
    if (load.addingQueued > 0) {
      assertQueueRoom(submitter, load.queued, load.addingQueued)
      assertKeptRoom(submitter, store.keptBytes.ofSubmitter(submitter), maxKeptBytes)
    }
    assertHeldRoom(submitter, { ...load.held, bytes: store.keptBytes.liveStateOf(submitter) }, load.adding, maxHeldWork)
  }
  // a running job's state is held to the same quota as it is written: past it the job is failed (engine/kept-bytes-guard.ts)
  const keptLimitOf = (submitter: string) => (submitsAsAdmin(store.users, submitter) ? null : maxKeptBytes)
  // and what a running job's fan-out adds to what they hold: past the bound that job is failed (engine/held-work-guard.ts)
  const heldLimitOf = (submitter: string) => (submitsAsAdmin(store.users, submitter) ? null : maxHeldWork)
  const engine = new Engine({ store, executors, concurrency: o.concurrency, shareOf, newcomerLane: newcomerLane(o.concurrency), driverFor: rillflow.driverFor, startRefusal: createStartCheck(store), resumeRefusal: createResumeCheck(store), admit, keptLimitOf, heldLimitOf })
  // and a running attempt is stopped when a change of a user or a proxy grant takes away what it runs under
  const stopWatchingRights = watchRunRights(store, engine)
  const workflows = rillflow.service(engine)
  const exporter = createExporter(dbFile, store.results, createResultQueries(store.db), o.exportPace)
  // a disabled user's running downloads stop with their jobs (not engine work: failWhere misses them)
  store.users.onChange((id) => {
    const user = store.users.get(id)
    if (user?.disabled) exporter.stopUser(user.username, `the account ${user.username} was disabled`)
  })
  const jobs = createJobsService(store, engine, exporter, workflows)
  const graph = createGraphService({ dataDir: o.dataDir, host: graphHost, engine, store })
  const algorithms = createAlgorithmService({ dataDir: o.dataDir, engine, store, graphs: graphHost })
  const graphWorkflows = createGraphWorkflowService({ engine, store, jobs, algorithms, graphs: graphHost, room: workflowRoom })
  const accessKeys = createAccessKeys(store, o.dataDir)
  const handlers = createHandlers({ auth, users, jobs, workflows, graph, algorithms, accessKeys, graphWorkflows, store, scratchRoot, dataDir: o.dataDir, version: VERSION, startedAt: Date.now(), recovering: () => engine.isRecovering() })
  // The port is taken as soon as the server's connection guards are on, before its routes are made
  // (seconds at a restart on a loaded machine; meanwhile requests get 503 starting, http/starting.ts),
  // and recovery runs after, in slices, while the server answers (#9: a restart on a 100,000-item
  // foreach refused connections ~8 s). The lock and the refused --host checks above come first.
  let stopWatching = (): void => undefined
  let listened: NodeServer | undefined
  const listen = async (http: NodeServer): Promise<void> => {
    await new Promise<void>((ok, fail) => {
      http.once('error', fail)
      http.listen({ host: listenHost, port: o.port, backlog: LISTEN_BACKLOG }, () => {
        http.off('error', fail)
        ok()
      })
    })
    listened = http
    const address = http.address() as AddressInfo
    const anyInterface = address.address === '0.0.0.0' || address.address === '::'
    const host = anyInterface ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address
    listening.url = `http://${host}:${address.port}`
    lock.announce(listening.url)
  }
  let server: FastifyInstance
  try {
    server = await buildServer({
      auth,
      workflows,
      jobs,
      store,
      graph,
      dataDir: o.dataDir,
      algorithms,
      accessKeys,
      graphWorkflows,
      graphHost,
      signer: rillflow.signer,
      handlers,
      engine,
      version: VERSION,
      staticDir: o.staticDir,
      logger: o.logger,
      rillflowRequiresToken: exposure.rillflowRequireToken,
      eventSessionCheckMs: o.eventSessionCheckMs,
      connections: o.connections,
      eventStreams: o.eventStreams,
      // Opened to the network, requests may name this machine by its names and addresses; no other Host.
      // Allowed hosts and origins are read as requests need them: a change in Settings applies at once.
      security: {
        remote,
        allowedHosts: () => serverSettings(store).allowedHosts,
        allowedOrigins: () => serverSettings(store).allowedOrigins,
      },
      listen,
    })
  } catch (e) {
    // the port's error, which serve.ts and the desktop app explain, or a failure after it listened
    stopWatching()
    listened?.close()
    listened?.closeAllConnections()
    await Promise.all([engine.stop(), graphHost.close(), algorithmHost.close(), checkpointer.stop()]).catch((closing: unknown) => console.error('jobdesk: could not close after a failed start:', closing))
    store.close()
    throw e
  }
  // from here the routes answer: what holds the thread is reported (their making, ~1 s of a loaded
  // machine's start, was reported as a hold on every start when watching began at listen)
  if (o.watchStalls) stopWatching = watchStalls()
  // Running scripts are stopped (not recorded: the next start's recovery marks them interrupted)
  // while the server ends its event streams and finishes its requests; then what the store holds.
  const stopAll = async (gesSweep?: Promise<void>) => {
    stopWatchingRights()
    sqlExecutor.close() // first: a SQL job the engine stops would start the next spare
    await Promise.all([engine.stop(), closeServer(server), gesSweep])
    // running imports roll back their package and stay resumable; reads of the store's file that outlived their requests end before it closes
    await Promise.all([graphHost.close(), algorithmHost.close(), checkpointer.stop(), endStoreReaders(store.db.name)])
    store.close()
  }
  // Recovery after listen, in slices (Engine.recoverInSlices): the server answers meanwhile (before, it
  // took up a waiting 100,000-item foreach in one turn, 4.4-6.5 s, before the server listened: nobody got
  // an answer). No task starts until it is over: every unfinished job is known first, and resumed
  // workflow tasks need the server's callback URL.
  let recovered = (): void => undefined
  engine.ticksAfter(new Promise<void>((ok) => (recovered = ok)))
  try {
    await engine.recoverInSlices()
  } catch (e) {
    stopWatching()
    await stopAll().catch((closing: unknown) => console.error('jobdesk: could not close after a failed start:', closing))
    throw e
  } finally {
    recovered() // the engine's ticks run from here
  }
  stopDisabledUsersWork(store, engine) // a store an earlier release left with work of a disabled user still waiting
  // in a graph worker, after recovery failed their jobs (a GES import is not run twice)
  const gesSweep = removeStaleGesWorkDirs(staleGesWork, graphHost, (s, error) => {
    if (error) return console.warn(`jobdesk: could not remove ${s.dir}, the work folder of a stopped GES import: ${error.message}; the next start tries again`)
    const job = store.jobs.getByUuid(s.job)
    // the job of that uuid, if the folder is in its submitter's upload folder (a user could name a folder after another's job)
    if (job?.kind === 'import' && job.submitter === s.user) engine.note(job.id, 'INFO', `JobDesk restarted: removed the work folder ${GES_WORK_ROOT}/${s.job} this import left (its split files)`)
  })
  workflows.reconcile()
  return {
    url: listening.url,
    workflows,
    graph,
    graphHost,
    algorithms,
    graphWorkflows,
    scriptConfinement,
    store,
    engine,
    auth,
    handlers,
    server,
    async close() {
      await stopAll(gesSweep)
      stopWatching()
      lock.release()
    },
  }
}

/**
 * How long requests still in flight at shutdown get before their connections are cut: those not
 * answered by IN_FLIGHT_GRACE_MS are then answered 503 `stopping` (http/starting.ts), and have the
 * rest to send it.
 */
const CLOSE_GRACE_MS = IN_FLIGHT_GRACE_MS + 500

async function closeServer(server: FastifyInstance): Promise<void> {
  const cut = setTimeout(() => server.server.closeAllConnections(), CLOSE_GRACE_MS)
  try {
    await server.close()
  } finally {
    clearTimeout(cut)
  }
}
