import { create } from 'zustand'
import type { DesktopBridge } from '../../../shared/api'
import type { UserView } from '../../../shared/model'
import { listenForEvents, send, setTransport } from '../api/client'
import { createHttpTransport, login as httpLogin, logout as httpLogout, sessionEndReason } from '../api/http'
import { createIpcTransport } from '../api/ipc'
import { ApiError } from '../api/transport'
import { errorText } from '../features/shell/form-errors'
import { setScopeUser } from './user-scope'

const TOKEN_KEY = 'jobdesk.token'
/** sessionStorage: the username whose default-password change was put off ("Not now") in this browser session. */
const PUT_OFF_KEY = 'jobdesk.passwordPrompt.skipped'

/** Whether `user` is asked for a new password before anything else: the default or an admin-set one, not put off in this browser session. */
const wantsPasswordPrompt = (user: UserView): boolean => user.mustChangePassword && sessionStorage.getItem(PUT_OFF_KEY) !== user.username

declare global {
  interface Window {
    jobdesk?: DesktopBridge
  }
}

interface SessionState {
  status: 'checking' | 'signed-out' | 'signed-in'
  user: UserView | null
  /**
   * The name of the user last signed in on this page (memory only), which the sign-in form starts
   * with after their session ends or they sign out, instead of "admin"; null before any sign-in.
   */
  lastUser: string | null
  error: string | null
  /**
   * When sign-ins are backed off after failures (429 rate_limited): the time (ms, this clock) from which
   * one can succeed again. The page counts down to it after `error`; null otherwise.
   */
  retryAt: number | null
  /**
   * The password typed at this sign-in, while the user must replace it: the forced change right after
   * pre-fills its "Current password" with it rather than asking again (newuser4 #15). Kept in this
   * store only (memory, never storage) and forgotten once the password is changed, the change is put
   * off, or the user signs out.
   */
  signInPassword: string | null
  forgetSignInPassword(): void
  /**
   * True while the change-password prompt shows, which the app shows instead of everything else (a
   * default or admin-set password, not put off in this browser session). Meanwhile the page listens to
   * no events and the stores load nothing of the user's (user-scope whenSignedIn): the server refuses
   * an admin-set password everything else, and each refused retry was a console error (ux18 #1).
   */
  choosingPassword: boolean
  /** The password was changed at the prompt: the app opens (events, the user's stores). */
  passwordChosen(): void
  /** "Not now" on the default password's prompt: not asked again in this browser session; the app opens. */
  putOffPasswordChange(): void
  /** A word for the whole app once the page that said it is gone, e.g. "Password changed…"; null when none. */
  notice: string | null
  setNotice(notice: string | null): void
  start(): Promise<void>
  login(username: string, password: string): Promise<void>
  /** Signs out: the token is revoked on the server, then forgotten here. */
  logout(): Promise<void>
  setUser(user: UserView): void
}

export const useSession = create<SessionState>((set, get) => {
  /** What the sign-in form says when a session ends: why, when the server said (a disabled account). */
  const endedText = (reason?: string) => (reason ? `Your session ended: ${reason}` : 'Your session ended: sign in again.')
  const signOut = (error: string | null = null) => {
    localStorage.removeItem(TOKEN_KEY)
    setTransport(null)
    setScopeUser(null)
    set({ status: 'signed-out', lastUser: get().user?.username ?? get().lastUser, user: null, error, retryAt: null, signInPassword: null, notice: null, choosingPassword: false })
  }
  /** What the signed-in user's app needs: their kept data (before the pages mount: they read it), then the pushed events. */
  const openApp = (user: UserView) => {
    setScopeUser(user.username)
    listenForEvents()
  }
  const signedIn = (user: UserView) => {
    const choosingPassword = wantsPasswordPrompt(user)
    if (!choosingPassword) openApp(user)
    set({ status: 'signed-in', user, error: null, choosingPassword })
  }
  const leavePrompt = () => {
    const user = get().user
    if (!user || !get().choosingPassword) return
    openApp(user)
    set({ choosingPassword: false })
  }
  const useToken = async (token: string) => {
    // once: the first word on it stands (a disabled account's reason, not the bare 401s after it)
    const ended = (reason?: string) => get().status === 'signed-in' && signOut(endedText(reason))
    setTransport(createHttpTransport(location.origin, token, ended), { listen: false })
    signedIn(await send('session.me', {}))
  }
  return {
    status: 'checking',
    user: null,
    lastUser: null,
    error: null,
    retryAt: null,
    signInPassword: null,
    forgetSignInPassword: () => set({ signInPassword: null }),
    choosingPassword: false,
    passwordChosen: leavePrompt,
    putOffPasswordChange() {
      sessionStorage.setItem(PUT_OFF_KEY, get().user?.username ?? '')
      set({ signInPassword: null })
      leavePrompt()
    },
    notice: null,
    setNotice: (notice) => set({ notice }),
    async start() {
      if (window.jobdesk) {
        // Desktop: IPC needs no login; the window acts as the local user.
        setTransport(createIpcTransport(window.jobdesk as never), { listen: false })
        return signedIn(await send('session.me', {}))
      }
      const token = localStorage.getItem(TOKEN_KEY)
      if (!token) return set({ status: 'signed-out' })
      // a kept token refused because an admin disabled the account says so (a reloaded tab); any other refusal signs out silently
      await useToken(token).catch((e) => {
        const reason = e instanceof ApiError ? sessionEndReason(e.body) : undefined
        signOut(reason ? endedText(reason) : null)
      })
    },
    async login(username, password) {
      try {
        const { token } = await httpLogin(location.origin, username, password)
        localStorage.setItem(TOKEN_KEY, token)
        // known before the signed-in user is shown: the prompt's form takes it when it first draws
        set({ signInPassword: password })
        await useToken(token)
        if (!get().user?.mustChangePassword) set({ signInPassword: null })
      } catch (e) {
        set({ signInPassword: null })
        const body = e instanceof ApiError ? e.body : null
        if (body?.kind === 'rate_limited' && body.retryAfterSeconds !== undefined) {
          // the server's message ends "; try again in 3 s (at <ISO time>)" for API clients: the page
          // counts the seconds down instead (LoginPage)
          set({ error: errorText(body.message.replace(/;\s*try again in .*$/s, '')), retryAt: Date.now() + body.retryAfterSeconds * 1000 })
        } else set({ error: errorText(e), retryAt: null })
      }
    },
    async logout() {
      if (get().status !== 'signed-in') return
      const token = localStorage.getItem(TOKEN_KEY)
      if (token) await httpLogout(location.origin, token)
      signOut()
      // the next user starts on the Jobs page, not where this one was (the entry keeps its place in
      // the history, url-sync's index, so a leave prompt's undo still finds its way)
      history.replaceState(history.state, '', location.pathname + location.search)
    },
    setUser: (user) => set({ user, ...(user.mustChangePassword ? {} : { signInPassword: null }) }),
  }
})
