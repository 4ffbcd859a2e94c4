import { useEffect, useState } from 'react'
import type { ServerSettingsView as Exposure } from '../../../../shared/api'
import { send } from '../../api/client'
import { formError } from '../shell/form-errors'
import { commaList } from './comma-list'

/**
 * How the REST endpoint is exposed (admins only): loopback by default; opening it is the admin's explicit choice.
 * `usersSeen` changes whenever the Users section has read the users again: what follows from them
 * (Rill Flow's token, required with a second user) is read again too, keeping what is being edited.
 */
export function ServerSettings({ onSaved, usersSeen = 0 }: { onSaved?: (s: Exposure) => void; usersSeen?: number }) {
  const [draft, setDraft] = useState<Exposure | null>(null)
  // the lists are edited as text (a typed comma must stay), parsed when saved
  const [hosts, setHosts] = useState('')
  const [origins, setOrigins] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const load = (s: Exposure) => {
    setDraft(s)
    setHosts(s.allowedHosts.join(', '))
    setOrigins(s.allowedOrigins.join(', '))
  }
  useEffect(() => {
    send('settings.server.get', {}).then(load, (e: Error) => setMessage({ ok: false, text: formError(e).text }))
  }, [])
  useEffect(() => {
    if (!usersSeen) return
    send('settings.server.get', {}).then(
      (s) => setDraft((d) => d && { ...d, rillflowTokenRequiredByUsers: s.rillflowTokenRequiredByUsers }),
      () => {}, // the next read says it; the form stays as typed
    )
  }, [usersSeen])
  if (!draft) return null
  const byUsers = draft.rillflowTokenRequiredByUsers
  const save = async () => {
    const { rillflowTokenRequiredByUsers: _derived, ...settings } = draft
    try {
      const saved = await send('settings.server.set', { ...settings, allowedHosts: commaList(hosts), allowedOrigins: commaList(origins) })
      load(saved)
      onSaved?.(saved)
      setMessage({ ok: true, text: 'Saved. Host names and web origins apply now; listening on the network and the Rill Flow token rule apply when JobDesk restarts.' })
    } catch (e) {
      const refused = formError(e)
      // a refused "listen on the network" is not left ticked as if it were on (newuser4)
      if (refused.field === 'allowRemote') setDraft({ ...draft, allowRemote: false })
      setMessage({ ok: false, text: `Not saved. ${refused.text}` })
    }
  }
  return (
    <form
      className="card"
      aria-label="server exposure"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <h2>Server</h2>
      <label className="check">
        <input type="checkbox" checked={draft.allowRemote} onChange={(e) => setDraft({ ...draft, allowRemote: e.target.checked })} />
        Listen on the network, not only on this computer (every API still needs its credential; not while an admin has the default password)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.rillflowRequireToken || byUsers}
          disabled={byUsers}
          onChange={(e) => setDraft({ ...draft, rillflowRequireToken: e.target.checked })}
        />
        <span>
          Require a bearer token for Rill Flow calls from this computer too (without it, such calls act as the desktop user;{' '}
          {byUsers ? <strong>required now: there is more than one user</strong> : 'always required while there is more than one user'})
        </span>
      </label>
      <label>
        Extra host names this server answers to (comma-separated; on the network, this computer’s own names and addresses are always allowed)
        <input value={hosts} onChange={(e) => setHosts(e.target.value)} />
      </label>
      <label>
        Web origins allowed to call the API (CORS, comma-separated)
        <input placeholder="https://tools.example.com" value={origins} onChange={(e) => setOrigins(e.target.value)} />
      </label>
      {message && <p className={message.ok ? 'ok-text' : 'error-text'}>{message.text}</p>}
      <button type="submit" className="primary">
        Save server settings
      </button>
    </form>
  )
}
