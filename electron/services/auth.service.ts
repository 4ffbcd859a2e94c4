import { AppError, invalid } from '../../shared/errors'
import type { UserView } from '../../shared/model'
import type { UserRecord } from '../store/user.repository'
import type { Store } from '../store'
import { hashPassword, newToken, tokenHash, verifyPassword } from './passwords'

/** The account a new data folder starts with: what TuGraph's clients try by default. */
export const DEFAULT_ADMIN = { username: 'admin', password: '73@TuGraph' } as const
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000

export type AuthService = ReturnType<typeof createAuthService>

export const toUserView = (u: UserRecord): UserView => ({
  username: u.username,
  isAdmin: u.isAdmin,
  mustChangePassword: u.mustChangePassword,
})

export function createAuthService(store: Store, now: () => number = Date.now) {
  const unauthenticated = () => new AppError('unauthenticated', 'bad_credentials', 'wrong username or password')

  return {
    /** Creates the default admin on an empty database, flagged so the UI asks for a new password. */
    async ensureDefaultAdmin(): Promise<void> {
      if (store.users.count() > 0) return
      store.users.create({
        username: DEFAULT_ADMIN.username,
        passwordHash: await hashPassword(DEFAULT_ADMIN.password),
        isAdmin: true,
        mustChangePassword: true,
      })
    },

    async checkPassword(username: unknown, password: unknown): Promise<UserRecord> {
      if (typeof username !== 'string' || !username) throw invalid('missing_username', 'username is required', 'username')
      if (typeof password !== 'string' || !password) throw invalid('missing_password', 'password is required', 'password')
      const user = store.users.findByUsername(username)
      if (!user || !(await verifyPassword(password, user.passwordHash))) throw unauthenticated()
      return user
    },

    /** Issues a session token; `kind` tells which dialect asked for it. */
    issueToken(user: UserRecord, kind = 'session', ttlMs: number | null = SESSION_TTL_MS, name?: string): string {
      const token = newToken()
      store.users.addToken({ tokenHash: tokenHash(token), userId: user.id, kind, name, expiresAt: ttlMs == null ? null : now() + ttlMs })
      return token
    },

    token(token: string | undefined): { user: UserRecord; kind: string; name: string | null } | undefined {
      return token ? store.users.token(tokenHash(token)) : undefined
    },

    async login(username: unknown, password: unknown): Promise<{ token: string; user: UserRecord }> {
      const user = await this.checkPassword(username, password)
      return { token: this.issueToken(user), user }
    },

    userForToken(token: string | undefined): UserRecord | undefined {
      return token ? store.users.userForToken(tokenHash(token)) : undefined
    },

    logout(token: string): void {
      store.users.revokeToken(tokenHash(token))
    },

    async changePassword(user: UserRecord, oldPassword: unknown, newPassword: unknown): Promise<UserRecord> {
      await this.checkPassword(user.username, oldPassword)
      if (typeof newPassword !== 'string' || newPassword.length < 8) {
        throw invalid('weak_password', 'the new password needs at least 8 characters', 'newPassword')
      }
      if (newPassword === oldPassword) throw invalid('same_password', 'the new password must differ from the old one', 'newPassword')
      store.users.setPassword(user.id, await hashPassword(newPassword), false)
      return store.users.get(user.id)!
    },
  }
}
