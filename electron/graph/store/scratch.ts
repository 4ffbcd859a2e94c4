// Big typed arrays that bulk writes borrow by name instead of allocating per package: a fresh
// array of a million entries costs page faults and zeroing each time, a reused one nothing. A
// borrowed array is valid until the next borrow of the same name; its content is left over (not
// zeroed). Owned by one GraphDb (one thread), so it goes when the graph is closed.
export class ScratchArrays {
  private readonly u32 = new Map<string, Uint32Array>()
  private readonly f64 = new Map<string, Float64Array>()

  uint32(name: string, n: number): Uint32Array {
    let a = this.u32.get(name)
    if (!a || a.length < n) this.u32.set(name, (a = new Uint32Array(Math.max(n, 2 * (a?.length ?? 0)))))
    return a.subarray(0, n)
  }

  float64(name: string, n: number): Float64Array {
    let a = this.f64.get(name)
    if (!a || a.length < n) this.f64.set(name, (a = new Float64Array(Math.max(n, 2 * (a?.length ?? 0)))))
    return a.subarray(0, n)
  }
}
