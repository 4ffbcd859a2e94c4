import { useSession } from '../../stores/session'
import { ChangePassword, PASSWORD_CHANGED } from '../settings/ChangePassword'

/**
 * Why a user must choose a new password: the first admin signed in with the built-in default, any
 * other user with one an admin set (both come with mustChangePassword).
 */
export const hasDefaultPassword = (user: { isAdmin: boolean; username: string } | null | undefined): boolean => !!user?.isAdmin && user.username === 'admin'

/**
 * Shown after sign-in, before the app, while the password is the default (or one an admin set):
 * session.choosingPassword. As Grafana does for its default admin, the default can be put off for
 * this session; the banner then keeps asking. One an admin set cannot: the server refuses every other
 * call until it is changed (services/access.ts assertPasswordChosen), so there is nothing to go on to.
 */
export function PasswordPrompt() {
  const user = useSession((s) => s.user)
  const logout = useSession((s) => s.logout)
  const typed = useSession((s) => s.signInPassword)
  const isDefault = hasDefaultPassword(user)
  const changed = () => {
    // the prompt goes with the change: the app says it was done (newuser4 #15)
    useSession.getState().setNotice(PASSWORD_CHANGED)
    useSession.getState().passwordChosen()
  }
  return (
    <div className="login">
      <div className="prompt">
        <h1>Choose a new password</h1>
        <p className="muted">
          {isDefault
            ? 'You signed in with the default password that every TuGraph client knows. Choose your own before you go on: the server cannot be opened to the network until you do.'
            : 'An admin set your password. Choose your own before you go on: until you do, JobDesk refuses everything else this password opens.'}
        </p>
        <ChangePassword title={`New password for ${user?.username ?? ''}`} onChanged={changed} currentPassword={typed ?? ''} />
        {isDefault && (
          <button
            className="link"
            onClick={() => useSession.getState().putOffPasswordChange()}
          >
            Not now
          </button>
        )}
        {!isDefault && (
          <button className="link" onClick={() => void logout()}>
            Sign out
          </button>
        )}
      </div>
    </div>
  )
}
