// Keys of the settings table, in one place (the dialects read them, the Settings page writes them).
export const SETTING_KEYS = {
  /** LinkisSettings['tokens'] */
  linkisTokens: 'linkis.tokens',
  /** login user → users it may act as */
  linkisProxyUsers: 'linkis.proxyUsers',
  /** Listen on every interface (not only loopback) from the next start. */
  allowRemote: 'server.allowRemote',
  allowedHosts: 'server.allowedHosts',
  allowedOrigins: 'server.allowedOrigins',
  rillflowRequireToken: 'rillflow.requireToken',
  rillflowCallbackSecret: 'rillflow.callbackSecret',
  /** Most sub-flow executions one submitted execution may start, at all depths (default in workflows/rillflow/service.ts). */
  rillflowMaxDescendants: 'rillflow.maxDescendants',
  /** The key TuGraph logins (JWT, HS256) are signed with; made on first use. */
  tugraphJwtSecret: 'tugraph.jwtSecret',
  /** The key device cookies (services/device-cookies.ts) are signed with; made on first use. */
  deviceCookieSecret: 'auth.deviceCookieSecret',
} as const
