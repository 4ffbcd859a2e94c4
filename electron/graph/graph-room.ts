// Room for graph writes: the data folder's disk reserve (disk-reserve.ts), checked on the main
// thread before every write a client can make to a graph (Cypher writes, write procedures, schema
// calls, graph creation, GES label making, import packages), so that a graph owner cannot fill the
// disk SQLite needs to commit everyone's sign-ins and job ends (#9 §3, atk16). A graph's own
// bound (its max_size_GB) is checked in the worker that holds the graph open (store/graph-bound.ts).
import type { AppError } from '../../shared/errors'
import { assertDiskRoom, diskRoomRefusal } from '../disk-reserve'

/** What the reserve's refusal names as refused. */
export const GRAPH_WRITES = 'graph writes (Cypher writes, schema changes, imports, new graphs)'

/** The disk_nearly_full refusal (503) of a graph write on `dataDir`'s disk, or undefined while it has its reserve free. */
export const graphWriteRefusal = (dataDir: string): AppError | undefined => diskRoomRefusal(dataDir, GRAPH_WRITES)

/** Throws graphWriteRefusal(dataDir) when there is one. */
export const assertGraphWriteRoom = (dataDir: string): void => assertDiskRoom(dataDir, GRAPH_WRITES)
