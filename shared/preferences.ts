// A user's own preferences, kept on the server so the desktop app's main process and every
// browser the user signs in from follow the same choice. Merged into the contract in api.ts.

export interface UserPreferences {
  /** A desktop notification when a job the user started ends (on by default, as in the desktop clients of this field). */
  notifyJobEnds: boolean
}

export const DEFAULT_PREFERENCES: UserPreferences = { notifyJobEnds: true }

export interface PreferenceOperations {
  'preferences.get': { params: Record<string, never>; result: UserPreferences }
  /** Changes the given preferences; the others stay. */
  'preferences.set': { params: Partial<UserPreferences>; result: UserPreferences }
}

export const PREFERENCE_HTTP_ROUTES: { [K in keyof PreferenceOperations]: { method: 'GET' | 'POST'; path: string } } = {
  'preferences.get': { method: 'GET', path: '/api/v1/me/preferences' },
  'preferences.set': { method: 'POST', path: '/api/v1/me/preferences' },
}

/** A notification's text for a job that ended: title and body. */
export function jobEndNotice(job: { id: number; name: string; status: string; error: string | null }): { title: string; body: string } {
  const how = job.status === 'succeeded' ? 'succeeded' : job.status === 'timed_out' ? 'timed out' : job.status
  return { title: `Job #${job.id} ${how}`, body: job.error && job.status !== 'succeeded' ? `${job.name}: ${job.error}`.slice(0, 200) : job.name }
}
