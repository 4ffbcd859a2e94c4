#!/usr/bin/python3
# Huawei Cloud's Python SDK for GES (huaweicloudsdkges v2 and v1, unchanged, from its public sources)
# against JobDesk's GES dialect, used as the SDK's README and samples use it:
#   BasicCredentials(ak, sk, project_id) and GesClient.new_builder()...with_endpoint(url).build().
# Started by scripts/consoles/ges-sdk.mjs, which puts huaweicloud-sdk-core and huaweicloud-sdk-ges on
# PYTHONPATH and passes what JobDesk holds in the environment:
#   GES_ENDPOINT   http://127.0.0.1:<port>
#   GES_AK, GES_SK an access key of the user (issued in Settings / POST /api/v1/access-keys)
#   GES_PROJECT    any project id (JobDesk takes it and ignores it)
#   GES_GRAPH      a graph the user owns; GES_DIR the folder in the user's upload folder holding
#                  schema.xml, vertex.csv (one bad line) and edge.csv
#   GES_BIG        a second graph, and the folder with its schema.xml, v.csv and e.csv (3,000 vertices)
# Prints one "PASS"/"FAIL" line per step; exits 1 on any failure.
import json
import os
import sys
import time
import traceback

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.sdk_response import SdkResponse
from huaweicloudsdkges.v1 import GesClient as GesClientV1
from huaweicloudsdkges.v1 import ImportGraphReq as ImportGraphReqV1
from huaweicloudsdkges.v1 import ImportGraphRequest, ListJobsRequest, ShowJobRequest
from huaweicloudsdkges.v2 import GesClient as GesClientV2
from huaweicloudsdkges.v2 import ImportGraph2Request, ImportGraphReq, ImportGraphReqParallelEdge, ListJobs2Request, ShowJob2Request

ENDPOINT = os.environ["GES_ENDPOINT"]
AK, SK, PROJECT = os.environ["GES_AK"], os.environ["GES_SK"], os.environ["GES_PROJECT"]
GRAPH, DIR = os.environ["GES_GRAPH"], os.environ["GES_DIR"]
BIG = os.environ["GES_BIG"]  # a 3,000-vertex graph's files in the folder of that name, and an empty graph of that name

failures = []


def step(name, fn):
    """Runs one step; a raised exception or a failed check is a FAIL line with the reason."""
    try:
        note = fn()
        print("PASS %s%s" % (name, " (%s)" % note if note else ""), flush=True)
        return True
    except Exception as e:  # noqa: BLE001 - every failure is reported, then the run goes on
        failures.append(name)
        print("FAIL %s: %s" % (name, e), flush=True)
        if not isinstance(e, AssertionError):
            traceback.print_exc(limit=3)
        return False


def check(cond, why):
    if not cond:
        raise AssertionError(why)


def client(cls, sk=SK):
    config = HttpConfig.get_default_config()
    config.timeout = (5, 30)
    return cls.new_builder() \
        .with_http_config(config) \
        .with_credentials(BasicCredentials(AK, sk, PROJECT)) \
        .with_endpoint(ENDPOINT) \
        .build()


v2 = client(GesClientV2)
v1 = client(GesClientV1)
state = {}


def day(offset):
    """yyyy-MM-dd, `offset` days from today (UTC): the job center's date filters take dates only."""
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + offset * 86400))


def wait_v2(job_id, timeout=60):
    return wait_v2_on(GRAPH, job_id, timeout)


def wait_v2_on(graph, job_id, timeout=60):
    """ShowJob2 until the job leaves pending/running."""
    deadline = time.time() + timeout
    while True:
        job = v2.show_job2(ShowJob2Request(graph_id=graph, job_id=job_id))
        if job.status not in ("pending", "running") or time.time() > deadline:
            return job
        time.sleep(0.5)


# ---- v2 (snake_case) ---------------------------------------------------------------------------

def v2_import():
    body = ImportGraphReq(schema_path="%s/schema.xml" % DIR, vertexset_path="%s/vertex.csv" % DIR, vertexset_format="csv",
                          edgeset_path="%s/edge.csv" % DIR, edgeset_format="csv", delimiter=",",
                          # accepted and not applied by JobDesk (docs/GES.md), sent as a console would
                          log_dir="%s/log" % DIR, offline=False, trim_quote='"',
                          parallel_edge=ImportGraphReqParallelEdge(action="allow", ignore_label=True))
    r = v2.import_graph2(ImportGraph2Request(graph_id=GRAPH, body=body))
    check(r.status_code == 200, "status %s" % r.status_code)
    check(isinstance(r.job_id, str) and len(r.job_id) > 0, "no job_id: %r" % r)
    state["import"] = r.job_id
    return "job_id %s" % r.job_id


def v2_wait_import():
    job = wait_v2(state["import"])
    check(job.status == "success", "status %s, fail_reason %s" % (job.status, job.fail_reason))
    check(job.job_name == "ImportGraph", "job_name %r" % job.job_name)
    check(job.related_graph == GRAPH, "related_graph %r" % job.related_graph)
    d = job.job_detail
    check(d is not None and d.vertexset_path, "no job_detail.vertexset_path: %r" % job)
    v = d.vertexset_path[0]
    check((v.total_lines, v.failed_lines, v.successful_lines) == (4, 1, 3), "vertex lines %s/%s/%s" % (v.total_lines, v.failed_lines, v.successful_lines))
    check(v.status == "partFailed" and v.cause, "vertex status %r cause %r" % (v.status, v.cause))
    e = d.edgeset_path[0]
    check((e.total_lines, e.failed_lines, e.successful_lines) == (2, 0, 2), "edge lines %s/%s/%s" % (e.total_lines, e.failed_lines, e.successful_lines))
    check(d.schema_path[0].status == "success", "schema status %r" % d.schema_path[0].status)
    check(job.begin_time and job.end_time, "times %r %r" % (job.begin_time, job.end_time))
    return "vertex.csv 4 lines, 1 failed (%s); edge.csv 2/0/2" % v.cause


def v2_second_import():
    body = ImportGraphReq(vertexset_path="%s/more.csv" % DIR, vertexset_format="csv")
    r = v2.import_graph2(ImportGraph2Request(graph_id=GRAPH, body=body))
    state["import2"] = r.job_id
    job = wait_v2(r.job_id)
    check(job.status == "success", "status %s (%s)" % (job.status, job.fail_reason))
    return "job_id %s" % r.job_id


def v2_list():
    r = v2.list_jobs2(ListJobs2Request(offset="0", limit="100"))
    check(r.status_code == 200, "status %s" % r.status_code)
    ids = [j.job_id for j in r.job_list]
    check(state["import"] in ids and state["import2"] in ids, "imports not listed: %s" % ids)
    check(r.job_count >= 2, "job_count %s" % r.job_count)
    j = next(j for j in r.job_list if j.job_id == state["import"])
    check(j.job_type and j.job_name == "ImportGraph" and j.status == "success", "row %r" % j)
    state["count"] = r.job_count
    return "job_count %s" % r.job_count


def v2_page():
    first = v2.list_jobs2(ListJobs2Request(offset="0", limit="1"))
    second = v2.list_jobs2(ListJobs2Request(offset="1", limit="1"))
    check(len(first.job_list) == 1 and len(second.job_list) == 1, "page sizes %d %d" % (len(first.job_list), len(second.job_list)))
    check(first.job_list[0].job_id != second.job_list[0].job_id, "pages overlap")
    check(first.job_count == state["count"], "job_count on a page %s, want the total %s" % (first.job_count, state["count"]))
    return "offset 0 and 1, limit 1: two different jobs, job_count %s" % first.job_count


def v2_filters():
    mine = v2.list_jobs2(ListJobs2Request(graph_name=GRAPH, status="success", limit="100"))
    check(all(j.related_graph == GRAPH and j.status == "success" for j in mine.job_list), "filter leaked %r" % mine.job_list)
    check(state["import"] in [j.job_id for j in mine.job_list], "import not found by graph_name and status")
    # a value the SDK %-encodes (space, &, +, /, non-ASCII): its canonical query is what it sends
    none = v2.list_jobs2(ListJobs2Request(graph_name="no such graph & +/ü"))
    check(none.job_count == 0 and none.job_list == [], "other graph %r" % none)
    failed = v2.list_jobs2(ListJobs2Request(status="failed"))
    check(state["import"] not in [j.job_id for j in failed.job_list], "status=failed lists a successful job")
    window = v2.list_jobs2(ListJobs2Request(start_time=day(-1), end_time=day(1)))
    check(state["import"] in [j.job_id for j in window.job_list], "start_time/end_time window misses the import")
    future = v2.list_jobs2(ListJobs2Request(start_time=day(2)))
    check(future.job_count == 0, "start_time in the future lists %s" % future.job_count)
    return "graph_name, status, start_time/end_time"


def v2_unknown_job():
    try:
        v2.show_job2(ShowJob2Request(graph_id=GRAPH, job_id="0" * 32))
    except ClientRequestException as e:
        check(e.status_code == 404 and e.error_code.startswith("GES."), "got %s %s" % (e.status_code, e.error_code))
        return "%s %s: %s" % (e.status_code, e.error_code, e.error_msg)
    raise AssertionError("no exception for an unknown job")


def v2_wrong_sk():
    try:
        client(GesClientV2, sk=SK[:-1] + ("A" if SK[-1] != "A" else "B")).list_jobs2(ListJobs2Request())
    except ClientRequestException as e:
        check(e.status_code == 401 and e.error_code == "APIGW.0301", "got %s %s" % (e.status_code, e.error_code))
        check(e.request_id and len(e.request_id) == 32, "request_id %r" % e.request_id)
        return "%s %s: %s; request_id %s" % (e.status_code, e.error_code, e.error_msg, e.request_id)
    raise AssertionError("a wrong SK was accepted")


# ---- v1 (camelCase) ----------------------------------------------------------------------------

def v1_import():
    body = ImportGraphReqV1(vertexset_path="%s/more1.csv" % DIR, vertexset_format="csv", delimiter=",")
    r = v1.import_graph(ImportGraphRequest(graph_id=GRAPH, action_id="import-graph", body=body))
    check(r.status_code == 200 and r.job_id, "status %s job_id %r" % (r.status_code, r.job_id))
    state["import1"] = r.job_id
    return "jobId %s" % r.job_id


def v1_show():
    deadline = time.time() + 60
    while True:
        job = v1.show_job(ShowJobRequest(graph_id=GRAPH, job_id=state["import1"]))
        if job.status not in ("pending", "running") or time.time() > deadline:
            break
        time.sleep(0.5)
    check(job.status == "success", "status %s (%s)" % (job.status, job.fail_reason))
    check(job.job_id == state["import1"] and job.job_name == "ImportGraph" and job.related_graph == GRAPH, "job %r" % job)
    v = job.job_detail.vertexset_path[0]
    check(v.path == "%s/more1.csv" % DIR and v.status == "success", "vertexsetPath %r" % v)
    return "status %s, jobDetail.vertexsetPath %s" % (job.status, v.path)


def v1_list():
    r = v1.list_jobs(ListJobsRequest(offset="0", limit="100"))
    ids = [j.job_id for j in r.job_list]
    check(all(x in ids for x in (state["import"], state["import1"])), "imports not listed: %s" % ids)
    check(r.job_count == state["count"] + 1, "jobCount %s, want %s" % (r.job_count, state["count"] + 1))
    page = v1.list_jobs(ListJobsRequest(offset="1", limit="2"))
    check(len(page.job_list) == 2 and page.job_list[0].job_id == ids[1], "page offset 1 limit 2: %s" % [j.job_id for j in page.job_list])
    f = v1.list_jobs(ListJobsRequest(graph_name=GRAPH, status="success", start_time=day(-1), end_time=day(1)))
    check(state["import1"] in [j.job_id for j in f.job_list], "filters miss the import")
    future = v1.list_jobs(ListJobsRequest(start_time=day(2)))
    check(future.job_count == 0, "startTime in the future lists %s" % future.job_count)
    return "jobCount %s; paging; graph_name, status, startTime/endTime" % r.job_count


def v1_wrong_sk():
    try:
        client(GesClientV1, sk="x" + SK[1:]).list_jobs(ListJobsRequest())
    except ClientRequestException as e:
        check(e.status_code == 401 and e.error_code == "APIGW.0301", "got %s %s" % (e.status_code, e.error_code))
        return "%s %s" % (e.status_code, e.error_code)
    raise AssertionError("a wrong SK was accepted")


def v1_bad_action():
    try:
        v1.import_graph(ImportGraphRequest(graph_id=GRAPH, action_id="export-graph", body=ImportGraphReqV1()))
    except ClientRequestException as e:
        # GES's v1.0 body is {errorCode, errorMessage}; the SDK's handler reads errorCode only beside
        # errorMsg, so it reports the HTTP status as error_code and the body as error_msg
        check(e.status_code == 400 and '"errorCode":"GES.8000"' in e.error_msg, "got %s %s %s" % (e.status_code, e.error_code, e.error_msg))
        return "%s, error_msg %s" % (e.status_code, e.error_msg)
    raise AssertionError("an unsupported action_id was accepted")


# ---- the data plane: the SDK has no data-plane client; the v2 client's own call_api signs it ------

class DataPlaneResponse(SdkResponse):
    """A response kept as its raw JSON (call_api deserializes into a model class; this one has no fields)."""
    openapi_types = {}
    attribute_map = {}


def data_call(method, path, params, query=(), body=None, graph=GRAPH):
    r = v2.call_api("/ges/v1.0/{project_id}/graphs/{graph_name}" + path, method, path_params=dict(params, graph_name=graph),
                    query_params=list(query), header_params={"Content-Type": "application/json"}, body=body,
                    response_type=DataPlaneResponse)
    check(r.status_code == 200, "%s %s: status %s" % (method, path, r.status_code))
    return json.loads(r.raw_content)


def data_plane():
    run = data_call("POST", "/action", {}, [("action_id", "execute-algorithm")],
                    {"algorithmName": "pagerank", "parameters": {"alpha": 0.85, "max_iterations": 20, "convergence": 0.00001, "directed": True}})
    job_id = run.get("jobId")
    check(job_id, "no jobId: %r" % run)
    deadline = time.time() + 60
    while True:
        body = data_call("GET", "/jobs/{job_id}/status", {"job_id": job_id}, [("offset", "0"), ("limit", "2")])
        if body["status"] not in ("pending", "running") or time.time() > deadline:
            break
        time.sleep(0.5)
    check(body["status"] == "success", "status %r" % body)
    out = body["data"]["outputs"]
    check(out["data_return_size"] == 2 and out["data_total_size"] >= 3, "outputs %r" % out)
    listed = data_call("GET", "/jobs/status", {})
    check(job_id in [j["jobId"] for j in listed["jobs"]], "the data-plane list misses %s" % job_id)
    try:
        data_call("DELETE", "/jobs/{job_id}", {"job_id": job_id})
        raise AssertionError("cancelling a finished job answered 200")
    except ClientRequestException as e:
        check(e.status_code == 400 and "GES.8303" in e.error_msg, "cancel: %s %s %s" % (e.status_code, e.error_code, e.error_msg))
    show = v2.show_job2(ShowJob2Request(graph_id=GRAPH, job_id=job_id))
    check(show.status == "success" and show.job_type, "the algorithm job in the job center: %r" % show)
    return "pagerank %s: 2 of %d rows; listed; DELETE of a finished job 400 GES.8303; in the job center as job_type %s, job_name %s" % (
        job_id, out["data_total_size"], show.job_type, show.job_name)


def data_plane_cancel():
    body = ImportGraphReq(schema_path="%s/schema.xml" % BIG, vertexset_path="%s/v.csv" % BIG, edgeset_path="%s/e.csv" % BIG)
    imp = v2.import_graph2(ImportGraph2Request(graph_id=BIG, body=body))
    job = wait_v2_on(BIG, imp.job_id)
    check(job.status == "success", "import of %s: %s (%s)" % (BIG, job.status, job.fail_reason))
    run = data_call("POST", "/action", {}, [("action_id", "execute-algorithm")], {"algorithmName": "betweenness", "parameters": {}}, graph=BIG)
    job_id = run["jobId"]
    deadline = time.time() + 30
    while data_call("GET", "/jobs/{job_id}/status", {"job_id": job_id}, graph=BIG)["status"] != "running":
        check(time.time() < deadline, "the algorithm never ran")
        time.sleep(0.1)
    cancelled = data_call("DELETE", "/jobs/{job_id}", {"job_id": job_id}, graph=BIG)
    check(cancelled == {}, "DELETE answered %r" % cancelled)
    t0 = time.time()
    job = wait_v2_on(BIG, job_id, timeout=10)
    check(job.status == "failed" and "cancel" in (job.fail_reason or ""), "after cancel: %s (%s)" % (job.status, job.fail_reason))
    return "betweenness on %s's 6,000 edges cancelled while running; show_job2: failed, %r, %.1f s after DELETE" % (BIG, job.fail_reason, time.time() - t0)


STEPS = [
    ("v2 import_graph2 (schema.xml, vertex.csv, edge.csv)", v2_import),
    ("v2 show_job2 until done: job_detail line counts", v2_wait_import),
    ("v2 import_graph2 a second file", v2_second_import),
    ("v2 list_jobs2", v2_list),
    ("v2 list_jobs2 paging (offset, limit)", v2_page),
    ("v2 list_jobs2 filters", v2_filters),
    ("v2 show_job2 of an unknown job raises ClientRequestException", v2_unknown_job),
    ("v2 a wrong SK raises ClientRequestException 401", v2_wrong_sk),
    ("v1 import_graph (action_id=import-graph, camelCase body)", v1_import),
    ("v1 show_job until done", v1_show),
    ("v1 list_jobs with paging and filters", v1_list),
    ("v1 an unsupported action_id raises ClientRequestException 400", v1_bad_action),
    ("v1 a wrong SK raises ClientRequestException 401", v1_wrong_sk),
    ("data plane through GesClient.call_api: execute-algorithm, status rows, DELETE", data_plane),
    ("data plane through GesClient.call_api: DELETE cancels a running algorithm", data_plane_cancel),
]
for name, fn in STEPS:
    step(name, fn)

print("%d steps, %d failed%s" % (len(STEPS), len(failures), (": " + "; ".join(failures)) if failures else ""))
sys.exit(1 if failures else 0)
