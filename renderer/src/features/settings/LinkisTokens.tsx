import { useEffect, useState } from 'react'
import type { LinkisSettings } from '../../../../shared/api'
import { send } from '../../api/client'

type Token = LinkisSettings['tokens'][number]

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean)

/** Tokens Linkis clients authenticate with (Token-Code + Token-User), and who may act as whom. */
export function LinkisTokens({ canEdit }: { canEdit: boolean }) {
  const [settings, setSettings] = useState<LinkisSettings | null>(null)
  const [draft, setDraft] = useState({ name: '', users: '*', hosts: '*', days: '' })
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  useEffect(() => {
    send('settings.linkis.get', {}).then(setSettings, (e: Error) => setMessage({ ok: false, text: e.message }))
  }, [])
  const save = async (tokens: Token[]) => {
    try {
      setSettings(await send('settings.linkis.set', { tokens, proxyUsers: settings?.proxyUsers ?? {} }))
      setMessage({ ok: true, text: 'Saved.' })
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message })
    }
  }
  if (!settings) return null
  const add = () => {
    const days = Number(draft.days)
    const token: Token = { name: draft.name.trim(), users: list(draft.users), hosts: list(draft.hosts), expiresAt: days > 0 ? Date.now() + days * 86_400_000 : null }
    void save([...settings.tokens.filter((t) => t.name !== token.name), token]).then(() => setDraft({ name: '', users: '*', hosts: '*', days: '' }))
  }
  return (
    <section className="card" aria-label="Linkis tokens">
      <h2>Linkis tokens</h2>
      <p className="muted">Linkis clients send Token-Code (the name) and Token-User (a user the token allows). Names starting with admin- may choose executeUser.</p>
      <table className="tasks">
        <thead>
          <tr>
            <th>Token</th>
            <th>Users</th>
            <th>Hosts</th>
            <th>Expires</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {settings.tokens.map((t) => (
            <tr key={t.name} data-token={t.name}>
              <td>{t.name}</td>
              <td>{t.users.join(', ')}</td>
              <td>{t.hosts.join(', ')}</td>
              <td>{t.expiresAt ? new Date(t.expiresAt).toLocaleDateString() : 'never'}</td>
              <td>
                {canEdit && (
                  <button className="link" onClick={() => void save(settings.tokens.filter((x) => x.name !== t.name))}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
          {settings.tokens.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No tokens: Linkis clients sign in with user/login instead.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canEdit && (
        <form
          className="token-form"
          onSubmit={(e) => {
            e.preventDefault()
            add()
          }}
        >
          <input aria-label="token name" placeholder="Token name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          <input aria-label="token users" placeholder="Users (comma-separated, * for any)" value={draft.users} onChange={(e) => setDraft({ ...draft, users: e.target.value })} />
          <input aria-label="token hosts" placeholder="Hosts (* for any)" value={draft.hosts} onChange={(e) => setDraft({ ...draft, hosts: e.target.value })} />
          <input aria-label="token days" placeholder="Days valid (empty: forever)" inputMode="numeric" value={draft.days} onChange={(e) => setDraft({ ...draft, days: e.target.value })} />
          <button type="submit" className="primary" disabled={!draft.name.trim()}>
            Add token
          </button>
        </form>
      )}
      {message && <p className={message.ok ? 'ok-text' : 'error-text'}>{message.text}</p>}
    </section>
  )
}
