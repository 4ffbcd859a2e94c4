import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../electron/store/migrations'
import Database from 'better-sqlite3'
import { openDatabase } from '../../electron/store/connection'
import { openStore } from '../../electron/store'
import { MAX_TOKENS_PER_USER } from '../../electron/store/user.repository'
import { tempStore } from '../support/temp-store'
import { oldDatabase } from '../support/old-database'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function setup(now?: () => number) {
  const t = tempStore(now)
  cleanup = t.cleanup
  return t
}

const newJob = (name: string, kind: 'script' | 'dag' = 'script') => ({ uuid: `uuid-${name}`, kind, name, submitter: 'admin' })

describe('store', () => {
  it('opens in WAL mode with foreign keys on and the schema at the latest migration', () => {
    const { store, reopen } = setup()
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const again = reopen() // migrating twice changes nothing
    expect(again.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
  })

  it('refuses a database from a newer JobDesk instead of corrupting it', () => {
    const { store, file } = setup()
    store.db.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    expect(() => openDatabase(file)).toThrow(/newer than this JobDesk/)
  })

  it('returns stored task records equal to a read back, and reads tasks without their spec for views', () => {
    const { store } = setup()
    const tasks = [
      { name: 'main', executor: 'sql', spec: { code: 'select 1;', language: 'sql' }, timeoutMs: 5000, maxAttempts: 3 },
      { name: 'after', executor: 'noop', dependsOn: ['main'], input: { n: 1 }, backoffMs: 10 },
    ]
    const [{ job, tasks: made }] = store.jobs.createMany([{ job: newJob('a'), tasks }])
    const read = store.jobs.tasks(job.id)
    expect(made).toEqual(read) // the records made from the rows as written are what a read gives
    expect(JSON.stringify(made)).toBe(JSON.stringify(read)) // keys in the same order (answers are compared byte for byte)
    expect(store.jobs.tasksWithoutSpec(job.id)).toEqual(read.map((t) => ({ ...t, spec: {}, runtime: null })))
  })

  it('refuses a status that is not in the state list, and orphan tasks', () => {
    const { store } = setup()
    const id = store.jobs.create(newJob('a'), [{ name: 'main', executor: 'noop' }])
    expect(() => store.db.prepare("UPDATE jobs SET status = 'exploded' WHERE id = ?").run(id)).toThrow(/CHECK constraint/)
    expect(() => store.db.prepare("INSERT INTO tasks (job_id, name, executor, status) VALUES (999, 'x', 'noop', 'pending')").run()).toThrow(/FOREIGN KEY/)
  })

  it('stores a job with its tasks atomically and reads them back', () => {
    const { store } = setup()
    const id = store.jobs.create({ ...newJob('dag', 'dag'), input: { x: 1 }, labels: { from: 'test' } }, [
      { name: 'a', executor: 'noop', spec: { delayMs: 1 }, maxAttempts: 3, timeoutMs: 500 },
      { name: 'b', executor: 'noop', dependsOn: ['a'] },
    ])
    expect(store.jobs.get(id)).toMatchObject({ status: 'queued', input: { x: 1 }, labels: { from: 'test' }, progress: 0 })
    // answers and events serialize a job whole and are compared byte for byte: its keys keep their order
    const keys = ['id', 'uuid', 'kind', 'name', 'status', 'progress', 'workflowId', 'parentJobId', 'input', 'context', 'result', 'error', 'submitter', 'labels', 'createdAt', 'startedAt', 'finishedAt']
    expect(Object.keys(store.jobs.get(id)!)).toEqual(keys)
    expect(Object.keys(store.jobs.getByUuid('uuid-dag')!)).toEqual(keys)
    expect(store.jobs.tasks(id).map((t) => [t.name, t.status, t.dependsOn, t.maxAttempts, t.timeoutMs])).toEqual([
      ['a', 'pending', [], 3, 500],
      ['b', 'pending', ['a'], 1, null],
    ])
    // a duplicate task name rolls the whole job back
    expect(() => store.jobs.create(newJob('dup'), [{ name: 'x', executor: 'noop' }, { name: 'x', executor: 'noop' }])).toThrow(/UNIQUE/)
    expect(store.jobs.getByUuid('uuid-dup')).toBeUndefined()
  })

  it('lists newest first with status, type and text filters and paging', () => {
    const { store } = setup()
    for (let i = 0; i < 7; i++) store.jobs.create(newJob(`job ${i}${i === 3 ? ' 100%_done' : ''}`, i % 2 ? 'dag' : 'script'), [{ name: 'm', executor: 'noop' }])
    const first = store.jobs.list({ limit: 3, offset: 0 })
    expect(first.total).toBe(7)
    expect(first.items.map((j) => j.id)).toEqual([7, 6, 5])
    expect(store.jobs.list({ limit: 3, offset: 6 }).items.map((j) => j.id)).toEqual([1])
    expect(store.jobs.list({ type: 'dag' }).total).toBe(3)
    expect(store.jobs.list({ text: '100%_' }).items.map((j) => j.name)).toEqual(['job 3 100%_done']) // LIKE wildcards are literal
    expect(store.jobs.list({ text: '5' }).items.map((j) => j.id).sort()).toEqual([5, 6]) // id 5 and name "job 5"
    expect(store.jobs.list({ status: 'running' }).total).toBe(0)
    expect(first.items[0].taskCount).toBe(1)
  })

  it('pages log lines by sequence number', () => {
    const { store } = setup()
    const id = store.jobs.create(newJob('logs'), [{ name: 'm', executor: 'noop' }])
    store.logs.append(Array.from({ length: 5 }, (_, seq) => ({ jobId: id, seq, taskId: null, time: seq, level: 'INFO' as const, text: `line ${seq}` })))
    expect(store.logs.read(id, 0, 2)).toMatchObject({ lines: [{ seq: 0, text: 'line 0' }, { seq: 1 }], next: 2 })
    expect(store.logs.read(id, 4, 10)).toMatchObject({ lines: [{ seq: 4 }], next: 5 })
    expect(store.logs.read(id, 5, 10)).toEqual({ lines: [], next: 5 })
    expect(store.logs.nextSeq(id)).toBe(5)
  })

  it('reads the log lines of one task and of its groups’ sub-tasks', () => {
    const { store } = setup()
    const id = store.jobs.create(newJob('groups'), ['a', 'ab', 'a_0-x', 'a_1-y'].map((name) => ({ name, executor: 'noop' })))
    const ids = Object.fromEntries(store.jobs.tasks(id).map((t) => [t.name, t.id]))
    store.logs.append(['a', 'ab', 'a_0-x', 'a_1-y', null].map((task, seq) => ({ jobId: id, seq, taskId: task ? ids[task] : null, time: seq, level: 'INFO' as const, text: String(task) })))
    expect(store.logs.read(id, 0, 10, 'a').lines.map((l) => l.task)).toEqual(['a', 'a_0-x', 'a_1-y'])
    expect(store.logs.read(id, 0, 10, 'a_0-x').lines.map((l) => l.task)).toEqual(['a_0-x'])
    expect(store.logs.read(id, 0, 10).lines).toHaveLength(5)
    expect(store.jobs.list({ name: 'groups' }).total).toBe(1)
    expect(store.jobs.list({ name: 'group' }).total).toBe(0) // exact, unlike text
  })

  it('keeps only token hashes and honours expiry', () => {
    let now = 1000
    const { store } = setup(() => now)
    const user = store.users.create({ username: 'u', passwordHash: 'x', isAdmin: false, mustChangePassword: false })
    store.users.addToken({ tokenHash: 'h1', userId: user.id, kind: 'session', expiresAt: 2000 })
    expect(store.users.userForToken('h1')?.username).toBe('u')
    now = 2000
    expect(store.users.userForToken('h1')).toBeUndefined()
    store.users.purgeExpiredTokens()
    expect(store.db.prepare('SELECT count(*) AS n FROM tokens').get()).toEqual({ n: 0 })
  })

  it('keeps at most MAX_TOKENS_PER_USER tokens of one holder (user, kind, name): a new one ends that holder’s oldest, no one else’s', () => {
    const { store } = setup()
    const user = store.users.create({ username: 'u', passwordHash: 'x', isAdmin: false, mustChangePassword: false })
    const other = store.users.create({ username: 'o', passwordHash: 'x', isAdmin: false, mustChangePassword: false })
    store.users.addToken({ tokenHash: 'other', userId: other.id, kind: 'session', expiresAt: null })
    store.users.addToken({ tokenHash: 'own-session', userId: user.id, kind: 'session', expiresAt: null })
    store.users.addToken({ tokenHash: 'own-other-token', userId: user.id, kind: 'linkis-token', name: 'T2', expiresAt: null })
    store.users.addToken({ tokenHash: 'nobody', userId: null, subject: 'x', kind: 'linkis-token', name: 'T1', expiresAt: null })
    const heard: number[] = []
    store.users.onChange((id) => heard.push(id))
    // one credential (Linkis token T1) signs in as the user again and again
    for (let i = 0; i < MAX_TOKENS_PER_USER + 3; i++) store.users.addToken({ tokenHash: `h${i}`, userId: user.id, subject: 'u', kind: 'linkis-token', name: 'T1', expiresAt: null })
    const count = (sql: string, ...p: unknown[]) => (store.db.prepare(`SELECT count(*) AS n FROM tokens WHERE ${sql}`).get(...p) as { n: number }).n
    expect(count("user_id = ? AND kind = 'linkis-token' AND name = 'T1'", user.id)).toBe(MAX_TOKENS_PER_USER)
    expect(['h0', 'h1', 'h2'].map((h) => store.users.token(h))).toEqual([undefined, undefined, undefined])
    expect(store.db.prepare('SELECT count(*) AS n FROM tokens WHERE token_hash = ?').get('h3')).toEqual({ n: 1 })
    // the user's own session, their sessions of another token, another user's and a Token-User without an account: untouched
    for (const h of ['own-session', 'own-other-token', 'other', 'nobody']) expect(count('token_hash = ?', h), h).toBe(1)
    // Token-Users without an account are held to it too, per token
    for (let i = 0; i < MAX_TOKENS_PER_USER + 1; i++) store.users.addToken({ tokenHash: `n${i}`, userId: null, subject: `s${i}`, kind: 'linkis-token', name: 'T1', expiresAt: null })
    expect(count("user_id IS NULL AND name = 'T1'")).toBe(MAX_TOKENS_PER_USER)
    expect(count("token_hash = 'nobody'")).toBe(0)
    return Promise.resolve().then(() => expect(heard).toEqual([user.id, user.id, user.id])) // what the ended sessions held open ends too
  })

  it("records an access key's use at most once a minute, and not at all while another connection holds the write lock", () => {
    let now = 1_000_000
    const { store, file } = setup(() => now)
    const user = store.users.create({ username: 'u', passwordHash: 'x', isAdmin: false, mustChangePassword: false })
    store.accessKeys.add('AK1', user, 'sealed', '')
    const lastUsed = () => store.accessKeys.get('AK1')!.lastUsedAt
    store.accessKeys.touch('AK1')
    expect(lastUsed()).toBe(1_000_000)
    now += 59_000 // a poll a second for a minute: no commit each
    store.accessKeys.touch('AK1')
    expect(lastUsed()).toBe(1_000_000)
    now += 1_000
    const other = new Database(file)
    try {
      other.exec('BEGIN IMMEDIATE')
      expect(() => store.accessKeys.touch('AK1')).not.toThrow() // skipped: the request goes on
      other.exec('ROLLBACK')
    } finally {
      other.close()
    }
    expect(lastUsed()).toBe(1_000_000)
    store.accessKeys.touch('AK1') // the next request after the lock writes it
    expect(lastUsed()).toBe(1_060_000)
  })

  it('answers a token from memory for at most a second, and never after a write of users or tokens', () => {
    let now = 1000
    const { store } = setup(() => now)
    const user = store.users.create({ username: 'u', passwordHash: 'x', isAdmin: false, mustChangePassword: false })
    const other = store.users.create({ username: 'o', passwordHash: 'x', isAdmin: false, mustChangePassword: false })
    store.users.addToken({ tokenHash: 'h1', userId: user.id, kind: 'session', expiresAt: null })
    store.users.addToken({ tokenHash: 'h2', userId: user.id, kind: 'session', expiresAt: null })
    expect(store.users.token('h1')?.user?.rights).toEqual([])
    // a change from outside this repository (another process) shows within the second
    store.db.prepare("DELETE FROM tokens WHERE token_hash = 'h2'").run()
    expect(store.users.token('h1')?.user?.username).toBe('u')
    store.db.prepare("DELETE FROM tokens WHERE token_hash = 'h1'").run()
    expect(store.users.token('h1')?.user?.username).toBe('u') // remembered
    now += 1000
    expect(store.users.token('h1')).toBeUndefined()

    // through the repository, at once: rights, disabling, revoking
    store.users.addToken({ tokenHash: 'h3', userId: user.id, kind: 'session', expiresAt: null })
    expect(store.users.token('h3')?.user?.rights).toEqual([])
    store.users.update(user.id, { isAdmin: false, disabled: false, rights: ['scripts'] })
    expect(store.users.token('h3')?.user?.rights).toEqual(['scripts'])
    store.users.update(user.id, { isAdmin: false, disabled: true, rights: [] })
    expect(store.users.token('h3')).toBeUndefined()
    store.users.update(user.id, { isAdmin: false, disabled: false, rights: [] })
    expect(store.users.token('h3')).toBeDefined()
    store.users.revokeUserTokens(user.id)
    expect(store.users.token('h3')).toBeUndefined()

    // a token seen only inside a transaction that rolled back is not remembered
    expect(() =>
      store.transaction(() => {
        store.users.addToken({ tokenHash: 'h4', userId: other.id, kind: 'session', expiresAt: null })
        expect(store.users.token('h4')?.user?.username).toBe('o')
        throw new Error('roll back')
      }),
    ).toThrow('roll back')
    expect(store.users.token('h4')).toBeUndefined()
  })

  it('migration 004 keeps the sessions and users of an older database, adding roles’ state and rights', () => {
    const { dir } = setup()
    const file = `${dir}/old.db`
    oldDatabase(file, 3, (old) => {
      old.prepare("INSERT INTO users (username, password_hash, is_admin, must_change_password, created_at) VALUES ('u', 'x', 0, 0, 1)").run()
      old.prepare("INSERT INTO tokens (token_hash, user_id, kind, created_at, expires_at) VALUES ('h1', 1, 'session', 1, NULL)").run()
    })
    const store = openStore(file)
    try {
      expect(store.users.userForToken('h1')).toMatchObject({ username: 'u', disabled: false, rights: [] })
      store.users.update(1, { isAdmin: false, disabled: true, rights: ['scripts'] })
      expect(store.users.userForToken('h1')).toBeUndefined() // a disabled user's token is no token
    } finally {
      store.close()
    }
  })

  it('migration 030 keeps when each user was last seen from what their tokens still know', () => {
    const { dir } = setup()
    const file = `${dir}/old.db`
    oldDatabase(file, 29, (old) => {
      old.prepare("INSERT INTO users (username, password_hash, is_admin, must_change_password, created_at) VALUES ('u', 'x', 0, 0, 1), ('v', 'x', 0, 0, 1)").run()
      old.prepare("INSERT INTO tokens (token_hash, user_id, kind, created_at, expires_at, last_used_at) VALUES ('h1', 1, 'session', 100, NULL, 500), ('h2', 1, 'session', 700, NULL, NULL)").run()
    })
    const store = openStore(file)
    try {
      const seen = () => Object.fromEntries(store.users.list().map((u) => [u.username, u.lastSeenAt]))
      expect(seen()).toEqual({ u: 700, v: null }) // the newest use or sign-in; v never signed in
      store.users.revokeUserTokens(1)
      expect(seen()).toEqual({ u: 700, v: null }) // not erased with the tokens
    } finally {
      store.close()
    }
  })
})
