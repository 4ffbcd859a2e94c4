import { readFileSync } from 'node:fs'

/**
 * CPU time (ms) the calling thread has run so far, from Linux's per-thread scheduler statistics
 * (/proc/thread-self/schedstat). Tests that bound how long synchronous work takes (a hostile input
 * ends at once) measure it with this rather than wall time, which also grows while the machine
 * runs other programs: a 500 ms bound failed at 737 ms with the suite at load 16 beside it, for
 * work that took 2-78 ms. Throws where the file does not exist (not Linux).
 */
export function threadCpuMs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6
}

/**
 * CPU time (ms) the main thread of process `pid` (on this machine) has run so far, read as threadCpuMs
 * reads its own (/proc/<pid>/task/<pid>/schedstat): a served process's own work over a stretch, whatever
 * else the machine ran meanwhile. Throws where the file does not exist (not Linux, or the process is gone).
 */
export function mainThreadCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'latin1').split(' ')[0]) / 1e6
}

/**
 * Time (ms) the calling thread has spent runnable but waiting for a CPU so far (the second field of
 * /proc/thread-self/schedstat): the part of a wall-clock gap a loaded machine adds, which the
 * thread's own code (running, or sleeping in a lock wait) does not. Throws where the file does not exist.
 */
function threadRunQueueMs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[1]) / 1e6
}

/**
 * Wall-clock time (ms, performance.now's origin) less the time the calling thread has waited for a
 * CPU (threadRunQueueMs): the difference of two readings is how long the thread's own doing took, its
 * work and its sleeps (a lock wait) alike, but not what other programs took of the machine meanwhile.
 */
export function ownWallMs(): number {
  return performance.now() - threadRunQueueMs()
}
