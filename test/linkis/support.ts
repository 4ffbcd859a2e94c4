// A Linkis client as its users write one: a session cookie from user/login, then entrance/jobhistory/filesystem.
export function linkisClient(base: string) {
  const jar = new Map<string, string>() // a browser-like cookie jar: set, replace, clear
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/api/rest_j/v1${path}`, {
      method,
      headers: { ...(jar.size ? { cookie: cookieHeader() } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const at = pair.indexOf('=')
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)]
      if (value && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) jar.set(name, value)
      else jar.delete(name)
    }
    const text = await res.text()
    let json: any = text
    try {
      json = JSON.parse(text)
    } catch {
      // a download
    }
    return { status: res.status, body: json, headers: res.headers, raw: text }
  }
  const client = {
    call,
    get cookie() {
      return cookieHeader()
    },
    login: (userName = 'admin', password = '73@TuGraph') => call('POST', '/user/login', { userName, password }),
    submit: (code: string, runType: string, extra: object = {}) =>
      call('POST', '/entrance/submit', {
        executionContent: { code, runType },
        labels: { engineType: runType === 'sql' ? 'jdbc-4' : runType === 'py' ? 'python-python3' : 'shell-1', userCreator: 'admin-IDE' },
        ...extra,
      }),
    /** Polls entrance/{execID}/status until a finished state, as the Linkis CLI does. */
    async waitDone(execID: string, timeoutMs = 10_000): Promise<string> {
      const end = Date.now() + timeoutMs
      for (;;) {
        const r = await call('GET', `/entrance/${execID}/status`)
        const s = r.body.data.status
        if (['Succeed', 'Failed', 'Cancelled', 'Timeout'].includes(s)) return s
        if (Date.now() > end) throw new Error(`still ${s}`)
        await new Promise((res) => setTimeout(res, 30))
      }
    },
  }
  return client
}

/**
 * A Cypher job submitted through entrance/submit with a Token-Code cookie and `tokenUser` as its
 * Token-User (percent-encoded as a browser sends a cookie): how the Token-User name tests reach auth.
 * `app` is a TestApp's fastify server; the token `code` must be saved in Settings beforehand.
 */
export function submitAsTokenUser(app: { inject: (o: object) => Promise<{ statusCode: number; body: string; json(): unknown }> }, tokenUser: string, code = 'OPS-ANY-USER-123') {
  return app.inject({
    method: 'POST',
    url: '/api/rest_j/v1/entrance/submit',
    headers: { cookie: `Token-Code=${code}; Token-User=${encodeURIComponent(tokenUser)}`, 'content-type': 'application/json' },
    payload: { executionContent: { code: 'RETURN 1', runType: 'cypher' }, labels: { engineType: 'cypher-1', userCreator: 'x-IDE' } },
  })
}
