// What all running SQL jobs may claim together (#9, atk: 16 pool + 8 newcomer-lane processes may each
// grow to SQL_JOB_MEMORY_BYTES, 24 GiB in all on a machine of 23 GiB, and nothing looked at their sum).
import { totalmem } from 'node:os'
import { formatSize } from '../../shared/number-format'
import { nonAdminShare } from '../engine/fair-queue'
import { FairLine } from '../fairness/fair-line'
import { SQL_JOB_MEMORY_BYTES } from './scratch-limit'

/** The default budget of all SQL jobs' memory limits together: half the machine's memory (bytes; 11.5 GiB of 23 GiB: 11 jobs). */
export const defaultSqlMemoryBudget = (): number => Math.floor(totalmem() / 2)

/** A SQL job's claim on the budget, held while its process lives: release() it once, when the process is gone (more calls do nothing). */
export interface SqlMemoryGrant {
  release(): void
}

/**
 * Admission of SQL jobs by memory, as YARN admits containers by their memory and Slurm jobs by
 * `--mem`: each SQL job claims its limit (`perJobBytes`, SQL_JOB_MEMORY_BYTES: what its watchdog lets
 * its process grow to) for as long as its process lives, and the claims of all running jobs stay
 * within `budgetBytes` (defaultSqlMemoryBudget: half the machine's memory); at least one job always
 * runs, whatever the budget. A job past it waits (its task running, its log and its job's
 * waitingReason saying why; the engine gives its slot to other work meanwhile, TaskContext.waiting)
 * and starts when a running one's process ends: it is never killed or failed for it, and an admin's
 * job waits the same (the budget protects the machine, not a user's share).
 *
 * One user's jobs (a job is its submitter's, whoever it runs as: counted by the user a Linkis proxy job
 * runs as, one submitter held a share per user they may run as, #9 atk) hold at most `perUser` claims at once: three quarters of them, at least one
 * (engine/fair-queue.ts nonAdminShare, the rule the engine's pool keeps: 11 → 8, 4 → 3, 2 → 1), so a
 * quarter of the budget always stays for everyone else, as Slurm's per-user TRES limit (MaxTRESPerUser)
 * and YARN's user limit keep it. A cap while others wait would not do: there is no preemption (a SQL
 * process cannot be paused or resumed), so one user's endless jobs, started while no one waited,
 * would hold every claim for as long as they run (#9, atk: a plain user's two endless SQL jobs kept
 * another user's `select 1` waiting as long as they ran). The price: a user alone runs at most
 * `perUser` SQL jobs at once. Admins are held to it too: the budget has no roles. Within that, the
 * waiting are served fairly by user, fewest claims first (fairness/fair-line.ts), so one user's flood
 * does not keep another's single job waiting behind it.
 *
 * Why admission, not a per-job limit that shrinks as more run: a shrinking limit would fail a job that
 * fits alone whenever others happen to run beside it (the same statement succeeding or failing by
 * chance), and a limit cut below what a running process already holds could only kill it. Waiting
 * costs time only. The engine's timeout of a task (timeoutMs) counts the wait too: it is the job's time.
 */
export class SqlMemoryBudget {
  private readonly line = new FairLine<() => void>()
  /** Whether `owner` may take one more claim: they hold fewer than `perUser`. */
  private readonly mayTake = (owner: string): boolean => this.line.holds(owner) < this.perUser
  /** How many jobs may hold their claim at once: the budget over a job's limit, at least 1. */
  readonly jobsAtOnce: number
  /** How many claims one user's jobs may hold at once: nonAdminShare(jobsAtOnce), three quarters, at least 1. */
  readonly perUser: number

  /** `budgetBytes`: what all running SQL jobs' limits may add up to (bytes); `perJobBytes`: one job's limit (bytes). */
  constructor(
    readonly budgetBytes: number = defaultSqlMemoryBudget(),
    readonly perJobBytes: number = SQL_JOB_MEMORY_BYTES,
  ) {
    this.jobsAtOnce = Math.max(1, Math.floor(budgetBytes / perJobBytes))
    this.perUser = nonAdminShare(this.jobsAtOnce)
  }

  /** How many SQL jobs hold their claim now. */
  get running(): number {
    return this.line.heldByAll
  }

  /** How many wait for room. */
  get waiting(): number {
    return this.line.count()
  }

  /**
   * A claim for a job of `owner` (its submitter, TaskContext.submitter): at once while the budget has
   * room, `owner` holds fewer than `perUser` claims and no one waits before it, else once a running job
   * releases its claim and it is its turn; `onWait(text, now)` hears why it waits, once, as it starts
   * waiting (waitText: "waiting for memory: N SQL jobs hold X of the Y budget and this one needs Z; …",
   * or its submitter's share used; `text` told as to any reader, poolOnly: it goes to the job's log), and
   * `now(poolOnly)` tells it again from the budget's state when called, with how many wait (the job's
   * waitingReason, asked while it waits; `poolOnly` as TaskContext.waiting). Rejects with `signal`'s reason when
   * it aborts while waiting (a cancel or timeout): it leaves the line then.
   */
  acquire(owner: string, signal: AbortSignal, onWait: (text: string, now: (poolOnly: boolean) => string) => void): Promise<SqlMemoryGrant> {
    if (signal.aborted) return Promise.reject(signal.reason)
    return new Promise<SqlMemoryGrant>((resolve, reject) => {
      let granted = false
      const start = () => {
        granted = true
        signal.removeEventListener('abort', onAbort)
        let released = false
        resolve({
          release: () => {
            if (released) return
            released = true
            this.line.release(owner)
            this.next()
          },
        })
      }
      const onAbort = () => {
        if (this.line.remove(owner, start)) reject(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.line.push(owner, start, false)
      this.next()
      if (granted) return
      onWait(this.waitText(owner, true), (poolOnly) => {
        const waiting = this.waiting
        const text = this.waitText(owner, poolOnly)
        return waiting > 1 ? `${text} (${waiting} SQL jobs wait, taken in turn by user)` : text
      })
    })
  }

  /**
   * Why a claim of `owner` waits, from the budget's state now: its submitter's share used (their count
   * only), else (or when the budget is one job) what the running jobs' claims hold of the budget, and
   * what one needs. `poolOnly` (a reader who is neither the submitter nor an admin: the user it runs as)
   * is told only the budget's state, never the submitter's count.
   */
  private waitText(owner: string, poolOnly: boolean): string {
    const mine = this.line.holds(owner)
    const held = this.running
    // a budget of one job has no share apart from the whole: its text says the budget is held
    if (mine >= this.perUser && this.perUser < this.jobsAtOnce) {
      if (!poolOnly) {
        return (
          `waiting for memory: its submitter's ${mine} SQL ${mine === 1 ? 'job holds' : 'jobs hold'} ${formatSize(mine * this.perJobBytes)}, ` +
          `the most one user's may hold of the ${formatSize(this.budgetBytes)} budget, so that others' jobs find room; it starts when one of them ends`
        )
      }
      if (held < this.jobsAtOnce) {
        return `waiting for memory: ${held} SQL ${held === 1 ? 'job holds' : 'jobs hold'} ${formatSize(held * this.perJobBytes)} of the ${formatSize(this.budgetBytes)} budget; what keeps this one waiting is told to its submitter`
      }
    }
    return (
      `waiting for memory: ${held} SQL ${held === 1 ? 'job holds' : 'jobs hold'} ${formatSize(held * this.perJobBytes)} of the ${formatSize(this.budgetBytes)} budget ` +
      `and this one needs ${formatSize(this.perJobBytes)}; it starts when one ends`
    )
  }

  /** Starts waiting jobs, in their fair turn, while the budget has room, of users holding fewer than their share. */
  private next(): void {
    while (this.line.heldByAll < this.jobsAtOnce) {
      const start = this.line.shift(this.mayTake)
      if (!start) return
      start()
    }
  }
}
