// A Rill Flow client as its users write one: plain HTTP to /flow/..., no credential (loopback) —
// or, once JobDesk has more than one user, a bearer token.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const fixture = (name: string, executorUrl: string): string =>
  readFileSync(resolve(__dirname, '../fixtures', name), 'utf8').replaceAll('http://sample-executor:8000', executorUrl)

export function rillClient(base: string, token?: string) {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? auth : { ...auth, 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const client = {
    call,
    async addDescriptor(yaml: string, query = ''): Promise<string> {
      const r = await call('POST', `/flow/bg/manage/descriptor/add_descriptor.json${query}`, yaml, 'text/plain')
      if (r.status !== 200) throw new Error(`add_descriptor: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body.descriptor_id
    },
    async submit(descriptorId: string, context: unknown = {}): Promise<string> {
      const r = await call('POST', `/flow/submit.json?descriptor_id=${encodeURIComponent(descriptorId)}`, context)
      if (r.status !== 200) throw new Error(`submit: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body.execution_id
    },
    async get(executionId: string, brief = false): Promise<any> {
      return (await call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}&brief=${brief}`)).body.ret
    },
    /** Polls get.json until the DAG is completed (SUCCEED or FAILED). */
    async finished(executionId: string, timeoutMs = 8000): Promise<any> {
      const end = Date.now() + timeoutMs
      for (;;) {
        const ret = await client.get(executionId)
        if (ret.dag_status === 'SUCCEED' || ret.dag_status === 'FAILED') return ret
        if (Date.now() > end) throw new Error(`execution still ${ret.dag_status}: ${JSON.stringify(ret.tasks)}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
  }
  return client
}

/** `{name: status}` of a get.json view's tasks. */
export const statuses = (ret: any): Record<string, string> =>
  Object.fromEntries(Object.values(ret.tasks as Record<string, { name: string; status: string }>).map((t) => [t.name, t.status]))
