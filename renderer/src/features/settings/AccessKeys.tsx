import { useEffect, useState } from 'react'
import type { AccessKeyCreated, AccessKeyView } from '../../../../shared/access-keys'
import { send } from '../../api/client'
import { fullTime } from '../jobs/format'

/**
 * The caller's access keys (AK/SK) for Huawei Cloud's GES SDKs, which sign every request with them.
 * A new key's secret is shown here once, then never again; a key can be revoked. Admins see every user's.
 */
export function AccessKeys({ isAdmin }: { isAdmin: boolean }) {
  const [keys, setKeys] = useState<AccessKeyView[] | null>(null)
  const [description, setDescription] = useState('')
  const [created, setCreated] = useState<AccessKeyCreated | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = () => send('accessKeys.list', {}).then(setKeys, (e: Error) => setError(e.message))
  useEffect(() => {
    void load()
  }, [])
  const create = async () => {
    try {
      setCreated(await send('accessKeys.create', { description }))
      setDescription('')
      setError(null)
      await load()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const revoke = async (accessKey: string) => {
    try {
      await send('accessKeys.revoke', { accessKey })
      if (created?.accessKey === accessKey) setCreated(null)
      await load()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <section className="card" aria-label="access keys">
      <h2>Access keys</h2>
      <p className="muted">
        Huawei Cloud’s GES SDKs sign every request with an access key (AK) and its secret (SK). Give them this server’s address as the
        endpoint and a key issued here. The secret is shown once, when the key is made.
      </p>
      {created && (
        <div className="ok-text" role="status" aria-label="new access key">
          <p>Copy the secret key now; it is not shown again.</p>
          <p>
            AK <code>{created.accessKey}</code>
          </p>
          <p>
            SK <code>{created.secretKey}</code>
          </p>
        </div>
      )}
      <table className="tasks">
        <thead>
          <tr>
            <th>Access key</th>
            {isAdmin && <th>User</th>}
            <th>Description</th>
            <th>Created</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(keys ?? []).map((k) => (
            <tr key={k.accessKey}>
              <td>
                <code>{k.accessKey}</code>
              </td>
              {isAdmin && <td>{k.user}</td>}
              <td>{k.description}</td>
              <td>{fullTime(k.createdAt)}</td>
              <td>{fullTime(k.lastUsedAt)}</td>
              <td>
                {k.revokedAt ? (
                  <span className="muted">revoked {fullTime(k.revokedAt)}</span>
                ) : (
                  <button type="button" onClick={() => void revoke(k.accessKey)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
          {keys?.length === 0 && (
            <tr>
              <td colSpan={isAdmin ? 6 : 5} className="muted">
                No access keys yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void create()
        }}
      >
        <label>
          Description (what uses the key)
          <input value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Create access key
        </button>
      </form>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
