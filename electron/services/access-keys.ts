// Access keys (AK/SK) for request signing (the GES dialect's SDK-HMAC-SHA256). Checking an HMAC
// needs the secret itself, so a hash will not do: secrets are sealed with AES-256-GCM under a key
// kept in its own file (`<data>/access-keys.key`, mode 0600), so a copy of jobdesk.db alone does
// not reveal them. A secret is shown once, when issued. Keys of a disabled user sign nothing.
import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AccessKeyCreated, AccessKeyView } from '../../shared/access-keys'
import { AppError, invalid, notFound } from '../../shared/errors'
import type { Store } from '../store'
import type { AccessKeyRecord } from '../store/access-key.repository'
import type { UserRecord } from '../store/user.repository'
import type { Actor } from './access'

/** Live keys a user may hold at once. */
export const MAX_LIVE_KEYS = 20
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const ANY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('')

export type AccessKeys = ReturnType<typeof createAccessKeys>

const toView = (k: AccessKeyRecord): AccessKeyView => ({
  accessKey: k.accessKey,
  user: k.username,
  description: k.description,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
})

export function createAccessKeys(store: Store, dataDir: string) {
  let key: Buffer | null = null
  /** The sealing key, made on first use. */
  const sealingKey = (): Buffer => {
    if (key) return key
    const file = join(dataDir, 'access-keys.key')
    try {
      writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    try {
      chmodSync(file, 0o600)
    } catch {
      // a file system without modes
    }
    key = readFileSync(file)
    if (key.length !== 32) throw new AppError('internal', 'bad_key_file', `${file} is not a 32-byte key; move it away to start afresh (existing access keys will stop working)`)
    return key
  }
  const seal = (secret: string): string => {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', sealingKey(), iv)
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.')
  }
  const open = (sealed: string): string | undefined => {
    try {
      const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'))
      const decipher = createDecipheriv('aes-256-gcm', sealingKey(), iv)
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')
    } catch {
      return undefined // sealed under another key file
    }
  }
  const own = (accessKey: string, actor: Actor): AccessKeyRecord => {
    const k = typeof accessKey === 'string' ? store.accessKeys.get(accessKey) : undefined
    if (!k || (k.userId !== actor.id && !actor.isAdmin)) throw notFound('access key', String(accessKey).slice(0, 40))
    return k
  }

  return {
    /** Issues a key for the actor. Throws invalid (description too long), conflict (too many live keys). */
    issue(actor: Actor, description = ''): AccessKeyCreated {
      if (typeof description !== 'string' || description.length > 200) throw invalid('bad_description', 'description must be text of at most 200 characters', 'description')
      if (store.accessKeys.liveCount(actor.id) >= MAX_LIVE_KEYS) {
        throw new AppError('conflict', 'too_many_keys', `you hold ${MAX_LIVE_KEYS} live access keys; revoke one first`)
      }
      const accessKey = pick(UPPER, 20)
      const secretKey = pick(ANY, 40)
      store.accessKeys.add(accessKey, actor, seal(secretKey), description.trim())
      return { ...toView(store.accessKeys.get(accessKey)!), secretKey }
    },

    list(actor: Actor): AccessKeyView[] {
      return store.accessKeys.list(actor.isAdmin ? undefined : actor.id).map(toView)
    },

    /** Revokes a key of the actor's (an admin: anyone's). Not found for others' keys. */
    revoke(actor: Actor, accessKey: string): AccessKeyView {
      const k = own(accessKey, actor)
      store.accessKeys.revoke(k.accessKey)
      return toView(store.accessKeys.get(k.accessKey)!)
    },

    /** The secret and user of a live key of an enabled user, for checking a signature; undefined otherwise. */
    resolve(accessKey: string): { secret: string; user: UserRecord } | undefined {
      const k = store.accessKeys.get(accessKey)
      if (!k || k.revokedAt !== null) return undefined
      const user = store.users.findByUsername(k.username)
      if (!user || user.disabled) return undefined
      const secret = open(k.secretSealed)
      return secret === undefined ? undefined : { secret, user }
    },

    /** Records that a key signed a request. */
    touch(accessKey: string): void {
      store.accessKeys.touch(accessKey)
    },
  }
}
