import { useCallback, useState } from 'react'
import { useSession } from '../../stores/session'
import { AccessKeys } from './AccessKeys'
import { ChangePassword } from './ChangePassword'
import { LinkisTokens } from './LinkisTokens'
import { NotificationSettings } from './NotificationSettings'
import { ServerSettings } from './ServerSettings'
import { UsersSection } from './UsersSection'

/** Everyone: their own password and access keys. Admins: users, how the server is exposed, Linkis tokens. */
export function SettingsPage() {
  const user = useSession((s) => s.user)
  const [usersSeen, setUsersSeen] = useState(0)
  const onUsersSeen = useCallback(() => setUsersSeen((n) => n + 1), [])
  return (
    <div className="page">
      <h1>Settings</h1>
      <ChangePassword title={`Password of ${user?.username ?? ''}`} />
      <NotificationSettings />
      <AccessKeys isAdmin={user?.isAdmin ?? false} />
      {user?.isAdmin ? (
        <>
          <UsersSection onSeen={onUsersSeen} />
          <ServerSettings usersSeen={usersSeen} />
          <LinkisTokens />
        </>
      ) : (
        <p className="muted">
          Server, user and Linkis settings are for admins. {user?.rights.includes('scripts') ? 'You may run shell and Python jobs.' : 'You may run SQL jobs; shell and Python need the scripts right from an admin.'}
        </p>
      )}
    </div>
  )
}
