// Domain types as the renderer and the native API see them. Times are epoch milliseconds.
import type { JobStatus, LogLevel, TaskStatus } from './status'
import type { ItemProgress } from './workflows'

export const JOB_KINDS = ['script', 'workflow', 'dag', 'algorithm', 'import'] as const
export type JobKind = (typeof JOB_KINDS)[number]

/**
 * The label a finished job's warning is kept in (`labels.warning`): set by its task (engine
 * setJobLabel) when the job ended succeeded but not as well as it reads. No task sets it now: imports
 * whose every line failed set it until they failed instead (#9 LOW, lows), and their jobs keep it. The
 * Jobs page shows it beside the state; a rerun does not copy it.
 */
export const JOB_WARNING_LABEL = 'warning'

export interface JobSummary {
  id: number
  uuid: string
  kind: JobKind
  name: string
  status: JobStatus
  progress: number // 0..1
  error: string | null
  submitter: string
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  taskCount: number
  labels: Record<string, string>
  /**
   * In the native list (jobs.list) and detail: why a queued job waits, or a running one whose work
   * waits (JobDetail.waitingReason says how it is told). The list carries it on queued jobs, and on
   * running ones only while they wait; a pushed summary (job.changed) has none.
   */
  waitingReason?: string | null
  /**
   * In the native list (jobs.list): a running Rill Flow job's top-level foreach items, done (succeeded
   * or failed) of all, those not made yet included, summed over its started foreach tasks; told from
   * the engine's memory (no task read per row). Absent for other rows. The Jobs list shows it while
   * the job's progress is 0 ("0/20,000 items", not "working…").
   */
  foreachItems?: { done: number; total: number }
  /** The Rill Flow execution whose flow_sync task started this one as a sub-flow, or null (a top-level job, or its parent was deleted). */
  parentJobId: number | null
  /**
   * In the native list (jobs.list) and detail: how many sub-flows this job started (jobs whose
   * parentJobId is this one; a redone task's earlier sub-flow counts too). A pushed summary has none.
   */
  subflowCount?: number
}

/**
 * One finished try of a task as stored (TaskRecord.attempts, the engine's invoke history): `attempt`
 * counts the tries within one attempt, from 1 again after a redo. Never served as is: TaskAttempt is
 * what details, pages and events show (shared/task-attempts.ts servedAttempts).
 */
export interface StoredTaskTry {
  attempt: number
  /**
   * The attempt's number when the try ended (taskAttemptNumber), kept so the numbers hold once the
   * oldest tries are dropped (the engine keeps 50); absent in entries stored before it was (derived then).
   */
  number?: number
  startedAt: number | null
  finishedAt: number
  status: TaskStatus
  error: string | null
}

/**
 * One finished try of a task as the native API, the pages and events show it (its invoke history):
 * `attempt` is the attempt's number (1 the task's first run, each redo the next: shared/task-attempts.ts),
 * `try` the try within that attempt (1, then each retry its retry policy made). Times in epoch ms.
 */
export interface TaskAttempt extends Omit<StoredTaskTry, 'attempt' | 'number'> {
  attempt: number
  try: number
}

export interface TaskView {
  id: number
  name: string
  executor: string
  status: TaskStatus
  /** The attempt the task is in (numbered as TaskAttempt.attempt); 0 before it first runs. */
  attempt: number
  /** The try within that attempt (TaskAttempt.try); 0 before it first runs. */
  try: number
  /** How many tries one attempt may make (1 + the retries its policy allows). */
  maxAttempts: number
  dependsOn: string[]
  input: unknown
  output: unknown
  error: string | null
  startedAt: number | null
  finishedAt: number | null
  /** Its finished tries, oldest first (the invoke history; the engine keeps the last 50). */
  attempts: TaskAttempt[]
}

/**
 * The code one task of a job runs, as stored when the job was submitted: a script's after variable
 * substitution (its variables, `${run_date}`, `${user}` filled in), which a rerun runs again unchanged.
 */
export interface TaskCode {
  task: string
  /** The task's executor: the script language (shell, python, sql, cypher), or graph-component. */
  executor: string
  /** A script's code; a graph workflow component's componentRunText. */
  code: string
}

/** How many of a job's tasks its detail carries (the first made): a job may hold 50,000 (atk17). */
export const DETAIL_TASKS = 500

export interface JobDetail extends JobSummary {
  input: unknown
  result: unknown
  /** Its first DETAIL_TASKS tasks, in the order they were made; `taskCount` says how many it has in all. */
  tasks: TaskView[]
  /** How many of all its tasks are in each state (a state none is in is absent). */
  taskCounts: Partial<Record<TaskStatus, number>>
  /** The job this one reruns (Jobs page "Rerun"), or null. */
  rerunOf: number | null
  /** The name of the job named by parentJobId (a sub-flow's parent execution, `workspace:dagName`), or null. */
  parentName: string | null
  /** Jobs that rerun this one, oldest first. */
  reruns: number[]
  log: LogInfo
  /**
   * Why a queued job has not started, in one line, told from the scheduler's state when the detail
   * is read (as Slurm's squeue REASON): its user's share used by their own jobs, every place taken
   * (with the user's count and share, and the newcomer lane), the user's earlier jobs that go first,
   * or a delayed start. Said to its submitter as "yours", to an admin by the submitter's name.
   * A running job whose task waits before its work starts says what for, as its executor tells it
   * when read: a SQL task waiting for the SQL memory budget ("waiting for memory: 2 SQL jobs hold
   * 2 GiB of the 2 GiB budget and this one needs 1 GiB; it starts when one ends", with how many wait),
   * "task <name>: …" in a job of several tasks. null when the job waits for nothing (working, ended).
   */
  waitingReason: string | null
  /**
   * A Rill Flow execution's choice/foreach tasks at the top level, once started: how far their items
   * (groups) are, counting those not made yet (`tasks` holds only the tasks made so far). Absent for
   * other jobs.
   */
  items?: JobItems[]
}

/** One choice/foreach task of a Rill Flow job and its items' progress (JobDetail.items). */
export interface JobItems {
  task: string
  /** `foreach` or `choice`. */
  category: string
  progress: ItemProgress
}

/**
 * A job's stored log. A long log keeps its first and last few MB; what went from the middle
 * is counted here and said in a WARN line where it was.
 */
export interface LogInfo {
  /** Lines stored (what jobs.logs pages through). */
  lines: number
  droppedLines: number
  /** UTF-8 bytes of the dropped lines' text. */
  droppedBytes: number
}

/** The output stream a log line came from: a task's stderr, or stdout (also the engine's own lines). */
export type LogStream = 'stdout' | 'stderr'

export interface LogLine {
  seq: number
  time: number
  level: LogLevel
  text: string
  task: string | null
  /** Only on a line the task wrote to stderr (absent: stdout or the engine's own line), so answers of stdout lines keep their shape. */
  stream?: 'stderr'
}

export interface Page<T> {
  items: T[]
  total: number
}

export const ROLES = ['admin', 'user'] as const
export type Role = (typeof ROLES)[number]

/** Rights an admin grants a user beyond the `user` role; admins have them all. */
export const RIGHTS = ['scripts'] as const
export type Right = (typeof RIGHTS)[number]

/** Script languages (executors) that run as the desktop user, so they need the `scripts` right. */
export const SCRIPTS_RIGHT_LANGUAGES: ReadonlySet<string> = new Set(['shell', 'python'])

/** Whether a user may run `language` (`rights` are effective rights: admins have them all). */
export const mayRunLanguage = (user: { rights: readonly Right[] }, language: string): boolean =>
  !SCRIPTS_RIGHT_LANGUAGES.has(language) || user.rights.includes('scripts')

/** The signed-in user as the UI sees them. `rights` are the user's effective rights (all of them for admins). */
export interface UserView {
  username: string
  isAdmin: boolean
  mustChangePassword: boolean
  rights: Right[]
}

/** A user as the Users page (admins only) sees them. `rights` are the ones granted, whatever the role. */
export interface UserAccount {
  username: string
  role: Role
  disabled: boolean
  rights: Right[]
  mustChangePassword: boolean
  createdAt: number
  /** When one of the user's credentials was last used; null if never. */
  lastSeenAt: number | null
  /** Their jobs running now (sub-flows included, each a job): what disabling them stops. */
  jobsRunning: number
  /** Their jobs waiting in the queue now: what disabling them stops too, before they start. */
  jobsQueued: number
}

/** What an admin's change of a user answers: the user as now stored, and how many of their live sessions and tokens (every dialect's) the change ended (0 unless it disabled them or reset their password). */
export interface UserChanged extends UserAccount {
  sessionsEnded: number
}
