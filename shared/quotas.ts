// What one user may keep waiting or stored, so that a user granted nothing cannot fill the data
// folder's disk or the job queue (#9, attack-sql-disk-fill, atk11: 2,000 jobs of 1 MB of code queued
// in 11 s; atk13: finished SQL jobs' results, atk14: their code and logs, atk15: their task values, filled the disk down to its reserve). Admins are exempt: they own the machine, and Rill Flow's credential-less loopback client
// acts as one (ownership.ts submitsAsAdmin). Each refusal is a 403 `forbidden` naming the limit, which
// every dialect carries in its own envelope. Bounds of one job's own output live with it:
// MAX_RESULT_BYTES_PER_JOB (store/result.repository.ts), MAX_SCRATCH_BYTES (executors/scratch-limit.ts);
// the count of saved scripts and folders is SAVED_SCRIPT_LIMITS.entries (shared/saved-scripts.ts).

import { AppError } from './errors'
import { counted, formatCount, formatSize } from './number-format'

/**
 * Jobs one user may have queued (stored, not yet started) at once: 1,000. Jobs a running job starts
 * (a Rill Flow sub-flow) count but are never refused: they belong to a job already accepted.
 */
export const MAX_QUEUED_JOBS_PER_USER = 1000

/** Bytes (UTF-8) of code one user's saved scripts hold in all: 64 MiB (64 scripts of the 1 MB one may hold). */
export const MAX_SAVED_SCRIPT_BYTES_PER_USER = 64 * 1024 * 1024

/**
 * Bytes on disk one user's uploaded files (graph import data, `<data>/upload_files/<user>/`) take in
 * all: 20 GiB. Graph data is large, so this is generous; it bounds what one user alone can take.
 */
export const MAX_UPLOAD_BYTES_PER_USER = 20 * 1024 ** 3

/** The code of every quota refusal, so a client can tell it from a missing right. */
export const QUOTA_CODES = {
  queuedJobs: 'too_many_queued_jobs',
  savedScriptBytes: 'saved_scripts_too_large',
  uploadBytes: 'uploads_too_large',
  keptBytes: 'jobs_keep_too_much',
  heldWork: 'too_much_unfinished_work',
  workflowBytes: 'workflows_too_large',
  /** A change to a running job's state refused, nothing changed (StateTooLarge): a wakeup.json's mapped context. */
  stateGrowth: 'state_too_large',
} as const

/**
 * What one user's unfinished jobs (queued, running or waiting) may hold in the engine's memory at
 * once: 5,000 jobs and 120,000 tasks in all. Each unfinished job is held whole, with all its tasks,
 * until it ends, and a Rill Flow suspense task without timeout waits without end: a user granted
 * nothing held 300 executions of 500 waiting tasks (180 MiB of heap) and could go on until the
 * process ran out of memory (atk15). Measured after a forced GC: a held job costs about 4.6 KiB
 * and each of its tasks about 0.6 KiB (2,000 one-task executions 10.1 MiB; 60 of 500 tasks 17.6 MiB);
 * a foreach's group tasks about 0.84 KiB (one foreach over 119,990 items of one suspense task each,
 * 119,991 tasks held: heap +97.9 MiB, fix18), so one user holds at most about 5,000 × 4.6 KiB +
 * 120,000 × 0.84 KiB ≈ 121 MiB. Both are counted, as neither alone bounds the heap: 120,000 one-task
 * jobs would hold 540 MiB, 5,000 jobs of 1,000 tasks 3 GiB. The tasks' bound fits the issue's own
 * workload, a foreach over 100,000 items (100,002 tasks with the steps around it), with room for a few
 * small jobs beside it (at 50,000 such a foreach was failed by the fan-out check). Ordinary use stays
 * below: 1,000 executions of 50 tasks, or all of MAX_QUEUED_JOBS_PER_USER queued beside a running
 * 100,000-task foreach. A foreach's fan-out is weighed as its tasks are made: one that would pass the
 * bound adds nothing and its job is failed with the reason, its tasks ended a slice at a time as a
 * cancel's (a submit weighs a job by its top-level tasks only, so 5 executions of 1,000 items x 40
 * suspense tasks held 200,005 tasks, atk17; engine/held-work-guard.ts); a sub-flow start and a redo
 * that re-opens an ended job are weighed as a submit. Room comes back as soon as a job ends.
 *
 * Counts alone do not bound what the tasks hold: a waiting task holds its input, and a foreach's
 * sub-tasks may each map a large value of its input. One execution of 10,001 waiting tasks (8% of the
 * task bound) each mapping a list of 2,000 small objects stored 206 MiB and held +1,252 MiB of heap
 * while running (each input its own copy), +791 MiB after a restart; mapping a 16,000-character string,
 * 159 MiB stored, +169 MiB after a restart (atk18). So `bytes` bounds the state the unfinished jobs
 * store too (their submitted context or code, counted twice as a Rill Flow execution holds it as its
 * input and as its context — left out until heap19 found 90 waiting executions of 1 MB contexts counted
 * as nothing — weighed by its shape, heldJsonWeight: the more of its UTF-8 bytes (jobs.input_bytes) and
 * its JSON nodes' weight (jobs.input_weight, migration 046), as a list of tiny maps takes 21 heap bytes
 * a character; and jobs.state_bytes: tasks' inputs, outputs and runtimes, contexts, groups'
 * sub-contexts and specs, in UTF-8 bytes of their JSON, store/kept-bytes.ts liveStateOf;
 * migration 043; with tasks' inputs, outputs and runtimes, jobs' contexts and results and groups'
 * sub-contexts weighed by their nodes as they are saved, what that weight passes their characters kept in
 * tasks.value_weight, job_values.weight and task_groups.weight and summed in jobs.state_weight,
 * migrations 046, 048): 64 MiB. Measured (forced GC, waiting executions of 1 MB contexts, both copies),
 * heap per counted byte of submitted contexts is at most ~4 whatever their shape (`[{},...]` 2.1,
 * `[[],...]` 1.4, `[null,-0,...]` 2.1; counted by characters they took 22.1, 14.1 and 4.1, so 64 MiB
 * held 1.4 GB of `[{},...]`; waiting tasks' inputs of `[{},...]` took 12.0, contexts a wakeup's output
 * mappings wrote 10.4, groups' sub-contexts 12.6, now 2.0-2.1); of other stored state, ~1.1 for strings
 * and 3.8-6.1 for lists of small objects (the parts groups share, stored and held once, count their bytes). So one user's unfinished jobs hold at most ~64 MiB x 7 ≈ 450 MiB of heap for their values
 * beside the ~121 MiB of jobs and tasks. The issue's foreach over 100,000 items (probe rillflow-foreach-100k's workload)
 * stores 31.5 MiB at its end (33,011,775 bytes: its groups' sub-contexts, tasks' values, the items and
 * results): it fits, with as much again for the user's other jobs. It is checked as state is written, in the commit that writes it
 * (engine/kept-bytes-guard.ts): a job whose writes take its user's unfinished jobs past it is failed
 * with the reason, and a submit (a sub-flow, a redo) is refused while they hold it. A job stored past
 * it before this bound existed is recovered as it is; only new writes are weighed.
 */
export const MAX_HELD_WORK_PER_USER: HeldBound = { jobs: 5_000, tasks: 120_000, bytes: 64 * 1024 ** 2 }

/**
 * What each node of a submitted JSON value (a value of any kind, or a map's key: JsonShape.nodes)
 * counts at least in MAX_HELD_WORK_PER_USER.bytes: 8, a pointer, what every node costs in the heap.
 */
export const HELD_BYTES_PER_JSON_NODE = 8
/**
 * What each list or map of a submitted JSON value counts on top of its node's HELD_BYTES_PER_JSON_NODE:
 * 24. Measured (one parsed copy, forced GC, as the JSON workers hand a value over: v8.deserialize):
 * a list or map costs 40-64 heap bytes (`{}` 64, `[]` 40, `[0]` 64, `{"a":0}` 64 with its value),
 * a scalar at most 32 (a heap number or a short string of its own: 24 or 32 with its pointer), a key
 * 10-53 (a wide map's), so that 32 a container and 8 a node hold one copy to at most ~4 heap bytes a
 * counted byte for any shape (`{}` 2.0, `[]` 1.25, `-0` 3.0, 2-character strings 4.0), where counting
 * characters allowed 21.3 (`[{},...]`).
 */
export const HELD_BYTES_PER_JSON_CONTAINER = 24

/**
 * What a submitted JSON value (a context, a job's input) of `bytes` UTF-8 bytes of text and of
 * `shape` (shared/json-limits.ts JsonShape) counts in MAX_HELD_WORK_PER_USER.bytes, once: the more
 * of its bytes and its nodes' and containers' weights, so that the heap it takes is bounded whatever
 * its shape (a long string counts by its bytes, `[{},{},...]` by its maps). Stored as jobs.input_weight
 * (migration 046); the held bytes count it twice.
 */
export function heldJsonWeight(bytes: number, shape: { nodes: number; containers: number }): number {
  return Math.max(bytes, HELD_BYTES_PER_JSON_NODE * shape.nodes + HELD_BYTES_PER_JSON_CONTAINER * shape.containers)
}

/** Jobs, and their tasks in all: what a submit adds and a fan-out weighs. */
/** What a submit (or a fan-out) adds to held work: jobs and tasks, and with a submit the bytes its inputs will count (migrations 043, 046: twice their heldJsonWeight). */
export type HeldWorkCount = Pick<HeldBound, 'jobs' | 'tasks'> & { bytes?: number }

/** A bound of MAX_HELD_WORK_PER_USER's shape: jobs, tasks of those jobs in all, and bytes of their stored state. */
export interface HeldBound {
  jobs: number
  tasks: number
  bytes: number
}

/**
 * Bytes (UTF-8) the stored versions of one user's workflows take in all: 256 MiB. A Rill Flow
 * version counts its text as sent and its parsed form, a graph workflow version its document
 * (electron/store/workflow-bytes.ts). The count bounds (shared/workflow-limits.ts: 2,000 workflows
 * of 200 versions each, of either kind) let one user keep hundreds of GB of ~1 MiB versions (atk15);
 * a typical descriptor is a few KB, so this holds tens of thousands of them. Deleting a workflow frees
 * its versions' room.
 */
export const MAX_WORKFLOW_BYTES_PER_USER = 256 * 1024 * 1024

/**
 * What one user's jobs keep in all, finished or running: 2 GiB, counted as characters of stored row
 * JSON (result_sets.byte_size, as MAX_RESULT_BYTES_PER_JOB counts them), plus UTF-8 bytes of each
 * job's stored input (its code), of its stored log (as the log budget counts it: bytes + 64 a line,
 * engine/job-logs.ts LINE_COST) and of its state (tasks' inputs and outputs, context, groups'
 * sub-contexts). A running total per user is kept in the database (migrations 034, 036, 037;
 * electron/store/kept-bytes.ts): an input counts from its submit, a log once it is all written, result
 * rows and state as they are stored, and a running job whose state passes the quota is failed
 * (engine/kept-bytes-guard.ts). A
 * user at the quota may submit nothing more until they delete jobs (what they kept stops counting at
 * once), and a running job's rows are cut at what is left, whichever executor stores them
 * (store/result.repository.ts append). Without it a user granted nothing ran SQL jobs one after
 * another until the disk was down to its reserve, and every user was refused: of result rows (atk13),
 * then of 1 MB of code or a 5 MiB log each (atk14), then of 40 MB of pass tasks' values each (atk15).
 */
export const MAX_KEPT_BYTES_PER_USER = 2 * 1024 ** 3

/**
 * How far a running job's state may take what its user's jobs keep past MAX_KEPT_BYTES_PER_USER before
 * the job is failed (engine/kept-bytes-guard.ts): 1 MiB, so that a job whose result rows were cut at
 * the quota still stores its end (an output summary, a context of a few KB), while a job storing
 * megabytes of task values is stopped near the quota, not after gigabytes.
 */
export const MAX_KEPT_OVERRUN = 1024 * 1024

/**
 * Room (bytes as MAX_KEPT_BYTES_PER_USER counts them) a user's jobs must have left under their quota
 * for a submit to be taken: 1 MiB, more than one row at its cap (256 KiB, store/result-cells.ts
 * MAX_ROW_CHARS). A job cut at the quota leaves less than the row that did not fit, so after a cut
 * the next submit is refused rather than run to keep nothing.
 */
export const MIN_KEPT_ROOM_TO_RUN = 1024 * 1024

/**
 * Throws AppError forbidden (too_many_queued_jobs) when a user with `queued` jobs waiting to start
 * may not queue `adding` more; the message names the limit.
 */
export function assertQueueRoom(submitter: string, queued: number, adding: number): void {
  if (queued + adding <= MAX_QUEUED_JOBS_PER_USER) return
  throw new AppError(
    'forbidden',
    QUOTA_CODES.queuedJobs,
    `user ${submitter} has ${formatCount(queued)} jobs queued, and a user may have at most ${formatCount(MAX_QUEUED_JOBS_PER_USER)} waiting to start: wait for some to start, or cancel some`,
  )
}

/**
 * Throws AppError forbidden (saved_scripts_too_large, naming `field`) when saved scripts of `total`
 * bytes of code would pass MAX_SAVED_SCRIPT_BYTES_PER_USER.
 */
export function assertSavedScriptRoom(total: number, field: string): void {
  if (total <= MAX_SAVED_SCRIPT_BYTES_PER_USER) return
  throw new AppError(
    'forbidden',
    QUOTA_CODES.savedScriptBytes,
    `your saved scripts would hold ${formatSize(total)} of code, and a user's saved scripts hold at most ${formatSize(MAX_SAVED_SCRIPT_BYTES_PER_USER)}: delete some first`,
    { field },
  )
}

/**
 * Throws AppError forbidden (uploads_too_large, naming `field`) when `adding` more bytes to uploads
 * that take `used` would pass MAX_UPLOAD_BYTES_PER_USER.
 */
export function assertUploadRoom(used: number, adding: number, field: string): void {
  if (used + adding <= MAX_UPLOAD_BYTES_PER_USER) return
  throw new AppError(
    'forbidden',
    QUOTA_CODES.uploadBytes,
    `your uploaded files take ${formatSize(used)}, and a user's uploaded files take at most ${formatSize(MAX_UPLOAD_BYTES_PER_USER)}: delete some before uploading more`,
    { field },
  )
}

/** A size as formatSize says it, or in bytes under 1 MiB (a descriptor of a few KB is not "0 MiB"). */
const sizeWords = (bytes: number): string => (bytes < 2 ** 20 ? `${formatCount(bytes)} bytes` : formatSize(bytes))

/**
 * Throws AppError forbidden (workflows_too_large, naming `field`) when a version of `adding` bytes
 * would take a user's workflows, which take `used`, past `max` (MAX_WORKFLOW_BYTES_PER_USER). The
 * words speak to the user saving: only the owner (or an admin, who is exempt) saves a version.
 */
export function assertWorkflowRoom(used: number, adding: number, field: string, max: number = MAX_WORKFLOW_BYTES_PER_USER): void {
  if (used + adding <= max) return
  throw new AppError(
    'forbidden',
    QUOTA_CODES.workflowBytes,
    `your workflows take ${sizeWords(used)}, and this version ${sizeWords(adding)} more; a user's workflows (every version of their Rill Flow and graph workflows) take at most ${sizeWords(max)}: delete some workflows first`,
    { field },
  )
}

/** What a user's jobs keep, as MAX_KEPT_BYTES_PER_USER counts it, in the words of every message that names it. */
export const KEPT_BYTES_COUNTS = 'result rows, code, logs and task values'

/**
 * Why a user's jobs may do no more: `submitter`'s jobs keep `kept` bytes (as MAX_KEPT_BYTES_PER_USER
 * counts them), and may keep `max`. The words of a refused submit (assertKeptRoom) and of a running
 * job stopped as its state passed the quota (engine/kept-bytes-guard.ts).
 */
export function keptTooMuchMessage(submitter: string, kept: number, max: number): string {
  return `user ${submitter}'s jobs keep ${formatSize(kept)} (${KEPT_BYTES_COUNTS}), and a user's jobs keep at most ${formatSize(max)}: delete some finished jobs before running more`
}

/**
 * Throws AppError forbidden (jobs_keep_too_much) when `submitter`'s jobs keep `kept` bytes (result
 * rows, code, logs and state, as MAX_KEPT_BYTES_PER_USER counts them), less than MIN_KEPT_ROOM_TO_RUN under
 * `max` (MAX_KEPT_BYTES_PER_USER unless the app was started with another): nothing more may run until
 * some are deleted.
 */
export function assertKeptRoom(submitter: string, kept: number, max: number = MAX_KEPT_BYTES_PER_USER): void {
  if (kept + MIN_KEPT_ROOM_TO_RUN <= max) return
  // refused below the quota too: say why, or the numbers read as a mistake (atk17 LOW)
  const margin = kept < max ? ` (a job runs only while at least ${formatSize(MIN_KEPT_ROOM_TO_RUN)} of it is left)` : ''
  throw new AppError('forbidden', QUOTA_CODES.keptBytes, keptTooMuchMessage(submitter, kept, max) + margin)
}

/**
 * How a fan-out's size was reached, for its refusal: `words` after the count ("40 items x 1 task + 40
 * items x 40 items x 2 tasks", a foreach with nested ones), `atLeast` when counting stopped once the
 * bound was passed (the count is then the part counted).
 */
export interface FanOutShape {
  words: string
  atLeast?: boolean
}

/**
 * Why a running job of `submitter`'s is stopped: its fan-out would add `adding` tasks to the `held`
 * their unfinished jobs hold, past `max` (the words of assertHeldRoom's bound); `shape`, when given,
 * says how those tasks were counted.
 */
export function fanOutTooLargeMessage(submitter: string, held: HeldWorkCount, adding: number, max: HeldBound, shape?: FanOutShape): string {
  const size = shape ? `${shape.atLeast ? 'at least ' : ''}${counted(adding, 'task')}: ${shape.words},` : counted(adding, 'task')
  return (
    `its fan-out would add ${size} to the ${formatCount(held.tasks)} that user ${submitter}'s ${formatCount(held.jobs)} unfinished ${held.jobs === 1 ? 'job holds' : 'jobs hold'}; ` +
    `${heldBoundWords(max)}, so this job was stopped: run it over fewer items, or cancel some jobs first`
  )
}

/**
 * Why a running job of `submitter`'s is stopped: its writes would make their unfinished jobs store
 * `held` bytes of state, past `max` (MAX_HELD_WORK_PER_USER.bytes; engine/kept-bytes-guard.ts).
 */
export function heldBytesTooMuchMessage(submitter: string, held: number, max: number): string {
  return (
    `its state would make user ${submitter}'s unfinished jobs hold ${sizeWords(held)} (${HELD_BYTES_COUNT}), and a user's unfinished jobs hold at most ${sizeWords(max)} of it, ` +
    `so this job was stopped: give its tasks smaller values, or cancel some jobs first`
  )
}


/** The jobs-and-tasks bound `max`, in the words of every message that names it. */
const heldBoundWords = (max: HeldBound): string => `a user's unfinished jobs hold at most ${counted(max.tasks, 'task')} in ${counted(max.jobs, 'job')}`

/**
 * What a submit, sub-flow start or redo adds (jobs and tasks), after "this would add": "a job of 1
 * task", "2 jobs of 9 tasks together", or "2 tasks" (a redo re-opening a job it counts already).
 */
function addingWords(adding: HeldWorkCount): string {
  if (adding.jobs === 0) return counted(adding.tasks, 'task')
  if (adding.jobs === 1) return `a job of ${counted(adding.tasks, 'task')}`
  return `${counted(adding.jobs, 'job')} of ${counted(adding.tasks, 'task')} together`
}

/** What MAX_HELD_WORK_PER_USER.bytes counts, in the words of every message that names it. */
const HELD_BYTES_COUNT = "submitted contexts and code, tasks' inputs and outputs, contexts and sub-contexts"

/**
 * A change to a running job's state (a wakeup.json's body mapped into its context) refused because it
 * would take what its submitter's jobs hold (`bound: 'held'`, MAX_HELD_WORK_PER_USER.bytes: their
 * unfinished jobs' state) or keep (`'kept'`, MAX_KEPT_BYTES_PER_USER) to `bytes`, past `max`, or a
 * mapping's write (`'context'`: `bytes` UTF-8 bytes of JSON) past a limit of the context's or of one
 * value's (value-budget.ts PASS_LIMITS.maxGrownBytes, VALUE_LIMITS; `max` in the unit `detail` names,
 * `detail` saying which mapping of which task passed which limit); the job is left as it was, so the message says nothing changed. A 403
 * `state_too_large`; `bytes` is kept for the dialects that name the size (Rill Flow's "content
 * length:N exceed the limit").
 */
export class StateTooLarge extends AppError {
  constructor(
    readonly submitter: string,
    readonly bytes: number,
    readonly max: number,
    readonly bound: 'held' | 'kept' | 'context',
    detail = '',
  ) {
    super(
      'forbidden',
      QUOTA_CODES.stateGrowth,
      bound === 'context'
        ? `${detail}; nothing was changed: send less`
        : bound === 'held'
        ? `this would make user ${submitter}'s unfinished jobs hold ${sizeWords(bytes)} (${HELD_BYTES_COUNT}), and a user's unfinished jobs hold at most ${sizeWords(max)} of it; ` +
            'nothing was changed: send less, or cancel some jobs first'
        : `this would make user ${submitter}'s jobs keep ${formatSize(bytes)} (${KEPT_BYTES_COUNTS}), and a user's jobs keep at most ${formatSize(max)}; ` +
            'nothing was changed: send less, or delete some finished jobs first',
    )
    this.name = 'StateTooLarge'
  }
}

/**
 * Throws AppError forbidden (too_much_unfinished_work) when `submitter`, whose unfinished jobs hold
 * `held` (jobs, tasks, bytes of stored state), may not add `adding` more (jobs, tasks) under `max`
 * (MAX_HELD_WORK_PER_USER unless the app was started with another), or their state already takes all
 * of `max.bytes`, or the inputs being submitted (`adding.bytes`, as the held bytes count them) would
 * take them past it (a new job's state is weighed as it is written): the message names the counts,
 * the bound and what to do.
 */
export function assertHeldRoom(submitter: string, held: HeldBound, adding: HeldWorkCount, max: HeldBound = MAX_HELD_WORK_PER_USER): void {
  const jobs = (n: number) => `${formatCount(n)} unfinished ${n === 1 ? 'job' : 'jobs'}`
  const addingBytes = adding.bytes ?? 0
  if (held.bytes >= max.bytes || (addingBytes > 0 && held.bytes + addingBytes > max.bytes)) {
    throw new AppError(
      'forbidden',
      QUOTA_CODES.heldWork,
      `user ${submitter} has ${jobs(held.jobs)} (queued, running or waiting) holding ${sizeWords(held.bytes)} (${HELD_BYTES_COUNT})` +
        (held.bytes < max.bytes ? `, and this would add ${sizeWords(addingBytes)}; ` : '; ') +
        `a user's unfinished jobs hold at most ${sizeWords(max.bytes)} of it: cancel some, or wait for some to finish`,
    )
  }
  if (held.jobs + adding.jobs <= max.jobs && held.tasks + adding.tasks <= max.tasks) return
  throw new AppError(
    'forbidden',
    QUOTA_CODES.heldWork,
    `user ${submitter} has ${jobs(held.jobs)} (queued, running or waiting) holding ${counted(held.tasks, 'task')}, and this would add ${addingWords(adding)}; ` +
      `${heldBoundWords(max)}: cancel some, or wait for some to finish`,
  )
}
