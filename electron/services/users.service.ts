import type { NewUser, UserChange } from '../../shared/api'
import { AppError, conflict, invalid, notFound } from '../../shared/errors'
import { folderKey, folderNameProblem, USERNAME } from '../../shared/file-names'
import { assertNameChars, codePointOf, nameCharProblem } from '../../shared/hidden-chars'
import { nameSkeleton } from '../../shared/lookalike-names'
import { RILLFLOW_LOOPBACK_USER } from '../../shared/rillflow-caller'
import { RIGHTS, ROLES, type Right, type UserAccount, type UserChanged } from '../../shared/model'
import type { Store } from '../store'
import type { UserRecord } from '../store/user.repository'
import { assertAdmin, type Actor } from './access'
import { accountNamed, checkNewPassword, DEFAULT_ADMIN } from './auth.service'
import { hashPassword, verifyPassword } from './passwords'

/** Names JobDesk itself puts on jobs (a credential-less Rill Flow call submits as "rillflow"). */
const RESERVED = new Set([RILLFLOW_LOOPBACK_USER, 'system', 'root'])

export type UsersService = ReturnType<typeof createUsersService>

/**
 * The name JobDesk reserves that `username` is or reads as (`r00t` reads as root), or undefined: such
 * a name is no user's, neither a new account's nor a Linkis Token-User's (a Token-User `rillflow` would
 * own every credential-less Rill Flow execution).
 */
export function reservedNameLike(username: string): string | undefined {
  const skeleton = nameSkeleton(username)
  return [...RESERVED].find((r) => nameSkeleton(r) === skeleton)
}

/**
 * The existing account `username` reads as (the same nameSkeleton: `ADMIN`, `аdmin`, `adrnin` read
 * as admin), or undefined. Ask it only for a name that is no account itself (every name reads as
 * itself). The one look-alike rule for a new account's name and a Linkis Token-User without one.
 */
export function lookalikeAccount(store: Pick<Store, 'users'>, username: string): UserRecord | undefined {
  const skeleton = nameSkeleton(username)
  return store.users.list().find((u) => nameSkeleton(u.username) === skeleton)
}

/**
 * Why `name` may not be taken as an identity that has no account of its own (a Linkis Token-User, a
 * proxy user a non-admin acts as), or null: the exact name of an account is fine; any other may hold
 * no hidden character, may not be a name JobDesk reserves or one reading as it (`rillflow` owns every
 * credential-less Rill Flow execution), nor a look-alike of an account (`adrnin`, `aIice`, `bօb`,
 * `clave` beside dave), and is ASCII letters, digits, `.`, `_`, `-` and `@`, 1–128 of them
 * (borrowedCharProblem: no `a|ice`, no `rill flow`, no Latin alpha `ɑlice`). The one rule for both, so
 * that neither lends a name that passes for someone else's. The look-alike check comes before the
 * character one so that `аdmin` (Cyrillic а) is told whom it reads as.
 */
export function borrowedNameProblem(store: Pick<Store, 'users'>, name: string): string | null {
  if (store.users.findByUsername(name)) return null
  const hidden = nameCharProblem(name)
  if (hidden) return hidden
  const reserved = reservedNameLike(name)
  if (reserved) return `is reserved by JobDesk (it reads as ${reserved})`
  const alike = lookalikeAccount(store, name)
  if (alike) return `reads as the user ${alike.username} and is not that user`
  return borrowedCharProblem(name)
}

/**
 * Why `name` can be no Linkis Token-User, or null: a name sign-in finds an account for (accountNamed:
 * `Bob` is bob) is that account; any other is a name of its own and must pass borrowedNameProblem. The
 * one rule for a Token-User sent with a token (linkis/auth.ts) and for a user a token lists when it is
 * saved (linkis-tokens.ts): a token is never saved listing a user no call could be made as.
 */
export function tokenUserProblem(store: Pick<Store, 'users'>, name: string): string | null {
  return accountNamed(store, name) ? null : borrowedNameProblem(store, name)
}

/** The characters of a name without an account: ASCII, as accounts' names are (USERNAME), plus capitals and `@` (`ETL`, `ext@svc`). */
const BORROWED_CHAR = /^[A-Za-z0-9._@-]$/

/**
 * Why `name`'s characters do not make a name without an account, or null. ASCII only: nameSkeleton
 * knows every ASCII look-alike but not every script's letters drawn as Latin ones (Cherokee Ꭺ, Coptic
 * ⲟ, Lisu ꓐ, N'Ko ߀ …), so a name of other letters could read as an account unseen; and accounts are
 * ASCII, so such a name is no account's anyway. The sentence names the first refused character and its position
 * (1-based, in characters).
 */
function borrowedCharProblem(name: string): string | null {
  const chars = [...name]
  if (chars.length === 0 || chars.length > 128) return 'is not a user name: 1–128 characters'
  const at = chars.findIndex((ch) => !BORROWED_CHAR.test(ch))
  if (at < 0) return null
  const ch = chars[at]
  return `is not a user name: it contains "${ch}" (${codePointOf(ch)}) at position ${at + 1}, and a name without an account is ASCII letters, digits, ".", "_", "-" and "@" only`
}

const NO_JOBS = { running: 0, queued: 0 }
/** A user as the API answers it; `jobs`: their queued and running jobs now (store.jobs.unfinishedBySubmitter). */
const toAccount = (u: UserRecord & { createdAt: number; lastSeenAt: number | null }, jobs: { running: number; queued: number } = NO_JOBS): UserAccount => ({
  username: u.username,
  role: u.isAdmin ? 'admin' : 'user',
  disabled: u.disabled,
  rights: u.rights,
  mustChangePassword: u.mustChangePassword,
  createdAt: u.createdAt,
  lastSeenAt: u.lastSeenAt,
  jobsRunning: jobs.running,
  jobsQueued: jobs.queued,
})

function checkRights(rights: unknown): Right[] {
  if (rights === undefined) return []
  if (!Array.isArray(rights) || rights.some((r) => !(RIGHTS as readonly unknown[]).includes(r))) {
    throw invalid('bad_rights', `rights must be a list of ${RIGHTS.join(', ')}`, 'rights')
  }
  return [...new Set(rights as Right[])]
}

function checkRole(role: unknown): boolean | undefined {
  if (role === undefined) return undefined
  if (!(ROLES as readonly unknown[]).includes(role)) throw invalid('bad_role', `role must be one of ${ROLES.join(', ')}`, 'role')
  return role === 'admin'
}

/** Local accounts, managed by admins: create, change role and rights, disable, reset passwords. */
export function createUsersService(store: Store) {
  const account = (username: string): UserAccount => toAccount(store.users.list().find((u) => u.username === username)!, store.jobs.unfinishedBySubmitter().get(username))
  const activeAdmins = () => store.users.list().filter((u) => u.isAdmin && !u.disabled)
  /** Names of enabled admins whose password is still the well-known default (a few scrypt checks). */
  const adminsWithDefaultPassword = async (): Promise<string[]> => {
    const out: string[] = []
    for (const u of activeAdmins()) if (await verifyPassword(DEFAULT_ADMIN.password, u.passwordHash)) out.push(u.username)
    return out
  }

  return {
    list(actor: Actor): UserAccount[] {
      assertAdmin(actor, 'list users')
      const jobs = store.jobs.unfinishedBySubmitter()
      return store.users.list().map((u) => toAccount(u, jobs.get(u.username)))
    },

    async create(actor: Actor, p: NewUser): Promise<UserAccount> {
      assertAdmin(actor, 'create users')
      // NFC: one spelling of each accented letter, so the checks below see what a reader sees
      const username = typeof p.username === 'string' ? p.username.normalize('NFC').trim().toLowerCase() : ''
      assertNameChars(username, 'username')
      if (store.users.findByUsername(username)) throw conflict('user_exists', `user ${username} already exists`, 'username')
      // before the character rule, so `аdmin` (Cyrillic а) is told what it looks like, not only that it is not ASCII
      const alike = lookalikeAccount(store, username)
      if (alike) throw conflict('user_looks_like', `username "${username}" looks like the existing user ${alike.username}; choose a name that reads differently`, 'username')
      if (!USERNAME.test(username)) {
        throw invalid('bad_username', 'username must be 1–64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit', 'username')
      }
      const reserved = reservedNameLike(username)
      if (reserved) throw invalid('reserved_username', `"${reserved}" is reserved by JobDesk${reserved === username ? '' : `, and "${username}" reads as it`}`, 'username')
      // a name is an upload folder (<data>/upload_files/<name>): one Windows or macOS would alias is refused (#9 §3)
      const folder = folderNameProblem(username)
      if (folder) throw invalid('username_aliases_folder', `username "${username}" ${folder}`, 'username')
      // names are lower case, but an account made before this rule may be another's folder alias (alice.)
      const alias = store.users.list().find((u) => folderKey(u.username) === folderKey(username))
      if (alias) throw conflict('user_exists', `user ${alias.username} already exists, and ${username} would share its upload folder on Windows and macOS`, 'username')
      const password = checkNewPassword(p.password, 'password')
      const isAdmin = checkRole(p.role) ?? false
      const rights = checkRights(p.rights)
      const passwordHash = await hashPassword(password)
      store.users.create({ username, passwordHash, isAdmin, mustChangePassword: true, rights })
      return account(username)
    },

    async update(actor: Actor, p: UserChange): Promise<UserChanged> {
      assertAdmin(actor, 'change users')
      const user = typeof p.name === 'string' ? store.users.findByUsername(p.name) : undefined
      if (!user) throw notFound('user', String(p.name))
      const isAdmin = checkRole(p.role) ?? user.isAdmin
      const disabled = p.disabled ?? user.disabled
      if (typeof disabled !== 'boolean') throw invalid('bad_disabled', 'disabled must be true or false', 'disabled')
      const rights = p.rights === undefined ? user.rights : checkRights(p.rights)
      if (user.id === actor.id && (disabled || !isAdmin)) {
        throw new AppError('conflict', 'own_account', 'you cannot disable your own account or take away your own admin role; another admin can')
      }
      if (user.isAdmin && !user.disabled && (!isAdmin || disabled) && activeAdmins().length <= 1) {
        throw conflict('last_admin', `${user.username} is the last active admin; make another admin first`)
      }
      const passwordHash = p.password === undefined ? undefined : await hashPassword(checkNewPassword(p.password, 'password'))
      let sessionsEnded = 0
      store.transaction(() => {
        store.users.update(user.id, { isAdmin, disabled, rights })
        if (passwordHash) store.users.setPassword(user.id, passwordHash, true)
        // a disabled user's tokens stop working (the token lookup checks too); a reset ends every session
        if (disabled || passwordHash) sessionsEnded = store.users.revokeUserTokens(user.id)
      })
      return { ...account(user.username), sessionsEnded }
    },

    /**
     * Why the server may not be opened to the network now, or undefined when it may: an enabled admin
     * still has the well-known default password, which anyone who reaches the server could try. The one
     * rule for Settings → Server (409 default_password) and for a start on a non-loopback host (app.ts).
     */
    async networkRefusal(): Promise<string | undefined> {
      const weak = await adminsWithDefaultPassword()
      return weak.length ? defaultPasswordRefusal(weak) : undefined
    },
  }
}

/** Why the server may not be opened to the network while the admins `names` still have the default password. */
export const defaultPasswordRefusal = (names: string[]): string => `change the default password of ${names.join(', ')} before opening the server to the network`
