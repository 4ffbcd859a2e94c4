import { useEffect, useState } from 'react'
import type { ServerSettings as Exposure } from '../../../../shared/api'
import { send } from '../../api/client'
import { useSession } from '../../stores/session'
import { AccessKeys } from './AccessKeys'
import { ChangePassword } from './ChangePassword'
import { LinkisTokens } from './LinkisTokens'
import { ServerSettings } from './ServerSettings'
import { UsersSection } from './UsersSection'

/** Everyone: their own password and access keys. Admins: users, how the server is exposed, Linkis tokens. */
export function SettingsPage() {
  const user = useSession((s) => s.user)
  const [exposure, setExposure] = useState<Exposure | null>(null)
  useEffect(() => {
    if (user?.isAdmin) send('settings.server.get', {}).then(setExposure, () => undefined)
  }, [user?.isAdmin])
  return (
    <div className="page">
      <h1>Settings</h1>
      <ChangePassword title={`Password of ${user?.username ?? ''}`} />
      <AccessKeys isAdmin={user?.isAdmin ?? false} />
      {user?.isAdmin ? (
        <>
          <UsersSection rillflowOpen={exposure ? !exposure.rillflowRequireToken : false} />
          <ServerSettings onSaved={setExposure} />
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
