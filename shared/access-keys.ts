// Access keys (AK/SK) for clients that sign their requests (Huawei Cloud's SDKs talking to the GES
// dialect): issued per user in Settings, the secret shown once, revocable.

export interface AccessKeyView {
  /** The AK: 20 upper-case letters and digits, as Huawei Cloud's. */
  accessKey: string
  user: string
  description: string
  createdAt: number
  lastUsedAt: number | null
  /** When it was revoked; a revoked key signs nothing. */
  revokedAt: number | null
}

/** A new key: the only time its secret (SK) is ever sent. */
export interface AccessKeyCreated extends AccessKeyView {
  secretKey: string
}

export interface AccessKeyOperations {
  /** Your keys (an admin sees every user's). */
  'accessKeys.list': { params: Record<string, never>; result: AccessKeyView[] }
  /** Issues a key for yourself; the answer holds the secret, which is not shown again. */
  'accessKeys.create': { params: { description?: string }; result: AccessKeyCreated }
  /** Revokes one of your keys (an admin: anyone's). */
  'accessKeys.revoke': { params: { accessKey: string }; result: AccessKeyView }
}

export const ACCESS_KEY_HTTP_ROUTES: { [K in keyof AccessKeyOperations]: { method: 'GET' | 'POST'; path: string; status?: number } } = {
  'accessKeys.list': { method: 'GET', path: '/api/v1/access-keys' },
  'accessKeys.create': { method: 'POST', path: '/api/v1/access-keys', status: 201 },
  'accessKeys.revoke': { method: 'POST', path: '/api/v1/access-keys/:accessKey/revoke' },
}
