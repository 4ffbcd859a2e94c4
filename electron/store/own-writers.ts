// JobDesk's own writers of the store that run outside the main thread's connection: a SQL job's
// process (executors/sql-worker.ts) writing its result rows in its own transactions. SQLite's write
// lock is not queued: a writer that waits sleeps and tries again, and one that just committed takes it
// back at once. Three SQL jobs committing a batch every ~13 ms (11 ms held, 2 ms reading the next rows)
// held it 98% of the time, so the main thread's writes, which retry at a few moments only
// (connection.ts retryAfterBusy), were refused for seconds: 13 of 29 submits answered 503
// database_locked. So the main thread goes first: while one of its writes waits for the lock
// (connection.ts lockWaitBegins … lockWaitEnds), every own writer is asked to pause between two
// transactions, and says when it has.

import type { Db } from './connection'

/** What the registry asks of one writer: messages to its process. */
export interface OwnWriterControl {
  /** Commit nothing more until `resume`; answer with `paused` once between transactions. */
  pause(): void
  resume(): void
}

/** A writer's place in the registry. */
export interface OwnWriter {
  /** The writer said it is paused between transactions (after a `pause`). */
  paused(): void
  /** The writer is gone (its process ended): it no longer counts. */
  remove(): void
}

interface Entry {
  control: OwnWriterControl
  /** `writing`: may hold the lock; `pausing`: asked, not yet answered; `paused`: holds nothing. */
  state: 'writing' | 'pausing' | 'paused'
}

/** The own writers of one connection's database file. */
export class OwnWriters {
  private readonly writers = new Set<Entry>()
  private wanted = false

  /** Registers a writer; paused at once if a write of the main thread waits now. */
  add(control: OwnWriterControl): OwnWriter {
    const entry: Entry = { control, state: 'writing' }
    this.writers.add(entry)
    if (this.wanted) this.pause(entry)
    return {
      paused: () => {
        if (entry.state === 'pausing') entry.state = 'paused'
      },
      remove: () => {
        this.writers.delete(entry)
      },
    }
  }

  /** A write of the main thread waits for the lock: every writer is asked to pause. */
  want(): void {
    this.wanted = true
    for (const e of this.writers) if (e.state === 'writing') this.pause(e)
  }

  /** No write of the main thread waits any more: every writer goes on. */
  release(): void {
    this.wanted = false
    for (const e of this.writers) {
      if (e.state !== 'writing') e.control.resume()
      e.state = 'writing'
    }
  }

  /** How many writers may hold the write lock now (not known to be paused). */
  writing(): number {
    let n = 0
    for (const e of this.writers) if (e.state !== 'paused') n++
    return n
  }

  private pause(e: Entry): void {
    e.state = 'pausing'
    e.control.pause()
  }
}

const registries = new WeakMap<Db, OwnWriters>()

/** The own writers of `db`'s file (one registry per connection, made at first use). */
export function ownWritersOf(db: Db): OwnWriters {
  let r = registries.get(db)
  if (!r) registries.set(db, (r = new OwnWriters()))
  return r
}

/**
 * Who may hold `db`'s write lock, for "the lock is held by …" in a message about a write it refused:
 * JobDesk's own SQL jobs while one of them is not known to be paused, else another program.
 */
export function lockHolderText(db: Db): string {
  return ownWritersOf(db).writing() > 0 ? "JobDesk's own SQL jobs writing their result rows" : 'another program (a sqlite3 shell left in a transaction, a VACUUM or a backup)'
}
