import { createHmac, timingSafeEqual } from 'node:crypto'
import type { SettingsRepository } from '../../store/settings.repository'
import { SETTING_KEYS } from '../../store/setting-keys'

const MAX_AGE_MS = 30 * 24 * 3600 * 1000

/**
 * Signs the callback URL handed to async functions (X-Callback-Url), so a callback proves it
 * was issued for that execution and task without any other credential (DESIGN.md, Security).
 */
export function createCallbackSigner(settings: SettingsRepository, baseUrl: () => string, now: () => number = Date.now) {
  const key = settings.secret(SETTING_KEYS.rillflowCallbackSecret)
  const sign = (executionId: string, task: string, ts: string) =>
    createHmac('sha256', key).update(`${executionId}\n${task}\n${ts}`).digest('base64url')
  return {
    url(executionId: string, task: string): string {
      const ts = String(now())
      const q = new URLSearchParams({ execution_id: executionId, task_name: task, ts, sign: sign(executionId, task, ts) })
      return `${baseUrl()}/flow/trigger.json?${q}`
    },
    verify(executionId: string, task: string, ts: unknown, signature: unknown): boolean {
      if (typeof ts !== 'string' || typeof signature !== 'string' || !(now() - Number(ts) < MAX_AGE_MS)) return false
      const want = Buffer.from(sign(executionId, task, ts))
      const got = Buffer.from(signature)
      return want.length === got.length && timingSafeEqual(want, got)
    },
  }
}
export type CallbackSigner = ReturnType<typeof createCallbackSigner>
