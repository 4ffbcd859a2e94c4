import { useEffect, useState } from 'react'
import type { ServerSettings as Exposure } from '../../../../shared/api'
import { send } from '../../api/client'
import { commaList } from './comma-list'


/** How the REST endpoint is exposed (admins only): loopback by default; opening it is the admin's explicit choice. */
export function ServerSettings({ onSaved }: { onSaved?: (s: Exposure) => void }) {
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
    send('settings.server.get', {}).then(load, (e: Error) => setMessage({ ok: false, text: e.message }))
  }, [])
  if (!draft) return null
  const save = async () => {
    try {
      const saved = await send('settings.server.set', { ...draft, allowedHosts: commaList(hosts), allowedOrigins: commaList(origins) })
      load(saved)
      onSaved?.(saved)
      setMessage({ ok: true, text: 'Saved. Host names and web origins apply now; listening on the network and the Rill Flow token rule apply when JobDesk restarts.' })
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message })
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
        <input type="checkbox" checked={draft.rillflowRequireToken} onChange={(e) => setDraft({ ...draft, rillflowRequireToken: e.target.checked })} />
        Require a bearer token for Rill Flow calls from this computer too (without it, such calls act as the desktop user; always required while there is more than one user)
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
