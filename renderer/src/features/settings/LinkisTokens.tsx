import { useState } from 'react'
import type { LinkisTokenEdit, LinkisTokenView } from '../../../../shared/api'
import { TOKEN_CODE_MIN_LENGTH } from '../../../../shared/linkis-token-rules'
import { send } from '../../api/client'
import { fullTime } from '../jobs/format'
import { ActionMessageLine, useLoadAndAct } from '../shell/load-and-act'
import { ListStatus } from '../shell/ListStatus'
import { LinkisProxyUsers } from './LinkisProxyUsers'
import { commaList } from './comma-list'

const keep = (t: LinkisTokenView): LinkisTokenEdit => ({ id: t.id, users: t.users, hosts: t.hosts, expiresAt: t.expiresAt })
const EMPTY = { id: undefined as string | undefined, code: '', users: '*', hosts: '*', days: '' }

/** What the form says of a Days valid that is not a whole number of days ≥ 1 (`-5` was saved as "never expires"). */
export const DAYS_VALID_PROBLEM = 'Days valid must be a whole number of days, 1 or more; leave it empty for a token that never expires.'

/** The expiry (epoch ms) of a token valid for `days` (the form's text) from `now`: null for blank (never), undefined for anything but a whole number ≥ 1. */
export function expiryOfDays(days: string, now: number): number | null | undefined {
  const text = days.trim()
  if (!text) return null
  return /^\d{1,6}$/.test(text) && Number(text) >= 1 ? now + Number(text) * 86_400_000 : undefined
}

/** A random code of 32 URL-safe characters, as a good Token-Code should be (the server takes TOKEN_CODE_MIN_LENGTH or more: tokenCodeProblem). */
function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_')
}

/**
 * Tokens Linkis clients authenticate with (Token-Code + Token-User), admins only. A code is a secret:
 * shown once when typed or generated, then only masked; editing a token keeps its code unless a new one is typed.
 * Followed by the proxy grants (LinkisProxyUsers), saved with the tokens in one call. Loads and
 * reports as the other admin panels do (useLoadAndAct: "Loading…", a failed load with Retry).
 */
export function LinkisTokens() {
  // refusals read as sentences: "Token ••••••456: Token-User …", the token as its row shows it (the field path stays in the error's field)
  const { data: settings, list, message, say, reload, act } = useLoadAndAct(() => send('settings.linkis.get', {}))
  const [draft, setDraft] = useState(EMPTY)
  if (!settings) {
    return (
      <section className="card" aria-label="Linkis tokens">
        <h2>Linkis tokens</h2>
        <ListStatus load={list} rows={0} what="Linkis tokens" className="muted" retry={() => void reload()} empty={null} />
      </section>
    )
  }
  /** The one save of the Linkis settings: the tokens and the proxy grants go together (settings.linkis.set takes both). */
  const saveLinkis = (tokens: LinkisTokenEdit[], proxyUsers: Record<string, string[]>) => send('settings.linkis.set', { tokens, proxyUsers })
  const save = (tokens: LinkisTokenEdit[], done: string) => act(() => saveLinkis(tokens, settings.proxyUsers), done)
  const submit = async () => {
    const expiresAt = expiryOfDays(draft.days, Date.now())
    if (expiresAt === undefined) return say({ ok: false, text: DAYS_VALID_PROBLEM, field: 'days' })
    const edit: LinkisTokenEdit = { users: commaList(draft.users), hosts: commaList(draft.hosts), expiresAt }
    if (draft.id) edit.id = draft.id
    if (draft.code.trim()) edit.code = draft.code.trim()
    const others = settings.tokens.filter((t) => t.id !== draft.id).map(keep)
    const done = edit.code ? `Saved. Copy the code now, it is not shown again: ${edit.code}` : 'Saved; the code is unchanged.'
    if (await save([...others, edit], done)) setDraft(EMPTY)
  }
  const editing = draft.id !== undefined
  /** Whether the last refusal names this field of the form (`tokens.2.code` is the code of some token: the form's). */
  const refused = (field: string) => (message && !message.ok && message.field !== undefined && (message.field === field || message.field.endsWith(`.${field}`)) ? true : undefined)
  return (
    <>
      <section className="card" aria-label="Linkis tokens">
        <h2>Linkis tokens</h2>
        <p className="muted">
          Linkis clients send Token-Code (the code, a secret) and Token-User (a user the token allows). A token acts as that user with that
          user’s rights, never more; codes starting with admin- may choose executeUser when their Token-User is an admin.
        </p>
        <table className="tasks">
          <thead>
            <tr>
              <th>Code</th>
              <th>Users</th>
              <th>Hosts</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {settings.tokens.map((t) => (
              <tr key={t.id} data-token={t.id}>
                <td className="name">{t.masked}</td>
                <td>{t.users.join(', ')}</td>
                <td>{t.hosts.join(', ')}</td>
                <td>{t.expiresAt ? fullTime(t.expiresAt) : 'never'}</td>
                <td>
                  <span className="row-actions">
                    <button className="link" onClick={() => setDraft({ id: t.id, code: '', users: t.users.join(', '), hosts: t.hosts.join(', '), days: '' })}>
                      Edit
                    </button>
                    <button className="link" onClick={() => void save(settings.tokens.filter((x) => x.id !== t.id).map(keep), 'Token removed.')}>
                      Remove
                    </button>
                  </span>
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
        <form
          className="token-form fields-labelled"
          aria-label={editing ? 'edit token' : 'new token'}
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          {/* each field named above it, as the new-user form's: the users and hosts fields start as "*",
              which hid their placeholders, so two bare "*" boxes were left unnamed (newuser5 #4) */}
          <label>
            Code (Token-Code)
            <input
              aria-label="token code"
              // the admin- rule in the title: the placeholder must fit the box (newuser-trials measures it)
              placeholder={editing ? 'New code (blank keeps the old one)' : `${TOKEN_CODE_MIN_LENGTH}+ chars, or Generate`}
              title={`At least ${TOKEN_CODE_MIN_LENGTH} characters; an admin token's ${TOKEN_CODE_MIN_LENGTH} come after its admin- prefix`}
              value={draft.code}
              aria-invalid={refused('code')}
              autoComplete="off"
              onChange={(e) => setDraft({ ...draft, code: e.target.value })}
            />
          </label>
          <button type="button" onClick={() => setDraft({ ...draft, code: randomCode() })}>
            Generate
          </button>
          <label>
            Users (Token-User; * any)
            <input aria-label="token users" aria-invalid={refused('users')} placeholder="comma-separated, * for any" value={draft.users} onChange={(e) => setDraft({ ...draft, users: e.target.value })} />
          </label>
          <label>
            Hosts (* any)
            <input aria-label="token hosts" placeholder="comma-separated, * for any" value={draft.hosts} onChange={(e) => setDraft({ ...draft, hosts: e.target.value })} />
          </label>
          <label>
            Days valid
            <input
              aria-label="token days"
              placeholder="empty: never expires"
              inputMode="numeric"
              aria-invalid={refused('days') ?? refused('expiresAt')}
              value={draft.days} onChange={(e) => setDraft({ ...draft, days: e.target.value })}
            />
          </label>
          <button type="submit" className="primary" disabled={!editing && !draft.code.trim()}>
            {editing ? 'Save token' : 'Add token'}
          </button>
          {editing && (
            <button type="button" onClick={() => setDraft(EMPTY)}>
              Cancel
            </button>
          )}
        </form>
        <ActionMessageLine message={message} />
      </section>
      {/* the grants' own save: the tokens as stored (kept codes), the new grants */}
      <LinkisProxyUsers settings={settings} save={(proxyUsers) => saveLinkis(settings.tokens.map(keep), proxyUsers)} saved={reload} />
    </>
  )
}
