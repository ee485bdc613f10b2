#!/usr/bin/env python3
"""Presto's REST API for tests/server/cluster_test.sh: statements without a CLI JVM each, query info.

  presto_rest.py query PORT SQL [--id-file F] [--session NAME=VALUE]... [--timeout SECONDS]
                                               runs SQL (POST /v1/statement, then nextUri until
                                               done); prints the rows as TSV; on an error prints it
                                               to stderr and exits 1. --id-file gets the query id.
                                               --timeout (default 300): cancel the query and fail.
  presto_rest.py info PORT QUERY_ID             GET /v1/query/<id> (the JSON, indented)
  presto_rest.py splits PORT QUERY_ID           one TSV line per zkarrow split the query ran:
                                               preferred node (host:port), node that ran it (host:port)
  presto_rest.py writers PORT QUERY_ID          one TSV line per task with a TableWriter operator:
                                               node (host:port), rows it took in
  presto_rest.py affinity PORT WORKER_PORTS SQL  runs SQL (a scan slow enough per split) while
                                               polling every worker's /v1/task: the running drivers'
                                               scan operators name their split (path, batches,
                                               preferredNode). Prints key=value figures, then one
                                               "split<TAB>preferred<TAB>ran-on<TAB>path" line per
                                               split seen. WORKER_PORTS: comma-separated.
                                               (The final /v1/query info keeps no per-split info:
                                               finished drivers are summarized away.)
  presto_rest.py insert-stream PORT TABLE SECONDS LOG
                                               INSERT INTO TABLE (id, batch) 10 rows per statement,
                                               ids batch*10+1..batch*10+10, batches 0, 1, ... until
                                               SECONDS have passed; LOG gets one line per statement:
                                               batch, start and end (epoch seconds), ok|error message
Only the standard library: no pip package.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

USER = "cluster-test"


# Answers a busy server gives before it has taken the request: worth asking again.
TRANSIENT_HTTP = (502, 503, 504)


def request(method, url, body=None, headers=None, timeout=120, attempts=5):
    """The JSON answer. Retries a refused connection or a 502/503/504 (the request was not taken)
    and, for GET (nextUri and info are idempotent), a connection reset; raises after `attempts`."""
    for attempt in range(attempts):
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            if e.code not in TRANSIENT_HTTP or attempt + 1 == attempts:
                raise
        except (ConnectionRefusedError, ConnectionResetError, urllib.error.URLError) as e:
            reason = getattr(e, "reason", e)
            retry = isinstance(reason, ConnectionRefusedError) or (
                method == "GET" and isinstance(reason, (ConnectionResetError, ConnectionAbortedError))
            )
            if not retry or attempt + 1 == attempts:
                raise
        time.sleep(0.5 * (attempt + 1))


def run(port, sql, catalog="zkarrow", schema="default", deadline_seconds=300, session=()):
    """(query id, rows, error or None)."""
    headers = {
        "X-Presto-User": USER,
        "X-Presto-Source": "cluster-test",
        "X-Presto-Catalog": catalog,
        "X-Presto-Schema": schema,
        "X-Presto-Time-Zone": "UTC",
        "Content-Type": "text/plain",
    }
    if session:
        headers["X-Presto-Session"] = ",".join(session)
    base = "http://127.0.0.1:%s" % port
    result = request("POST", base + "/v1/statement", sql.encode("utf-8"), headers)
    query_id = result.get("id")
    rows = []
    deadline = time.time() + deadline_seconds
    while True:
        rows.extend(result.get("data") or [])
        if result.get("error"):
            error = result["error"]
            return query_id, rows, "%s: %s" % (error.get("errorName"), error.get("message"))
        next_uri = result.get("nextUri")
        if not next_uri:
            return query_id, rows, None
        if time.time() > deadline:
            try:
                urllib.request.urlopen(
                    urllib.request.Request(next_uri, method="DELETE", headers={"X-Presto-User": USER}),
                    timeout=10,
                ).close()
            except (urllib.error.URLError, OSError):
                pass
            return query_id, rows, "no answer within %ss (query %s cancelled)" % (deadline_seconds, query_id)
        result = request("GET", next_uri, headers={"X-Presto-User": USER})


def cell(value):
    if value is None:
        return "NULL"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query_info(port, query_id):
    return request("GET", "http://127.0.0.1:%s/v1/query/%s" % (port, query_id))


def stages(info):
    """Every stage of a query info: 0.29x nests them as outputStage.subStages."""
    todo = [info.get("outputStage")]
    while todo:
        stage = todo.pop()
        if not stage:
            continue
        yield stage
        todo.extend(stage.get("subStages") or [])


def tasks(stage):
    execution = stage.get("latestAttemptExecutionInfo") or {}
    return execution.get("tasks") or stage.get("tasks") or []


def task_node(task):
    """host:port of the node a task ran on (the task's own URI)."""
    uri = (task.get("taskStatus") or {}).get("self") or ""
    return urllib.parse.urlparse(uri).netloc


def operators(task):
    """Every operator's stats of a task: per driver when the info keeps drivers, else summaries."""
    for pipeline in (task.get("stats") or {}).get("pipelines") or []:
        drivers = pipeline.get("drivers") or []
        for driver in drivers:
            for operator in driver.get("operatorStats") or []:
                yield "driver", operator
        for operator in pipeline.get("operatorSummaries") or []:
            yield "summary", operator


def split_infos(value):
    """zkarrow split infos (dicts with a 'path' and 'batches') found anywhere inside value."""
    if isinstance(value, dict):
        if "path" in value and "batches" in value:
            yield value
            return
        for item in value.values():
            yield from split_infos(item)
    elif isinstance(value, list):
        for item in value:
            yield from split_infos(item)


def splits(port, query_id):
    out = []
    info = query_info(port, query_id)
    for stage in stages(info):
        for task in tasks(stage):
            node = task_node(task)
            for _, operator in operators(task):
                for split in split_infos(operator.get("info")):
                    out.append((split.get("preferredNode", ""), node, split.get("path", "")))
    return out


def writers(port, query_id):
    out = []
    info = query_info(port, query_id)
    for stage in stages(info):
        for task in tasks(stage):
            rows = None
            for kind, operator in operators(task):
                if kind == "summary" and operator.get("operatorType") == "TableWriterOperator":
                    rows = (rows or 0) + int(operator.get("inputPositions") or 0)
            if rows is not None:
                out.append((task_node(task), rows))
    return out


def insert_stream(port, table, seconds, log):
    end = time.time() + float(seconds)
    batch = 0
    with open(log, "w") as f:
        while time.time() < end:
            sql = (
                "INSERT INTO %s SELECT %d * 10 + x, %d FROM UNNEST(sequence(1, 10)) AS t (x)"
                % (table, batch, batch)
            )
            start = time.time()
            try:
                _, _, error = run(port, sql, deadline_seconds=120)
            except (urllib.error.URLError, OSError, ValueError) as e:
                error = "request failed: %s" % e
            status = "ok" if error is None else "error " + error.replace("\n", " ")[:300]
            f.write("%d\t%.3f\t%.3f\t%s\n" % (batch, start, time.time(), status))
            f.flush()
            batch += 1


SCAN_OPERATORS = ("TableScanOperator", "ScanFilterAndProjectOperator")


def affinity(port, worker_ports, sql):
    import threading

    outcome = {}

    def query():
        try:
            outcome["result"] = run(port, sql)
        except (urllib.error.URLError, OSError, ValueError) as e:
            outcome["result"] = (None, [], "request failed: %s" % e)

    thread = threading.Thread(target=query)
    thread.start()
    seen = {}  # (path, batches) -> (preferred, node)
    polls = 0
    while thread.is_alive():
        for worker in worker_ports:
            try:
                task_infos = request("GET", "http://127.0.0.1:%s/v1/task" % worker, timeout=10)
            except (urllib.error.URLError, OSError, ValueError):
                continue
            for task in task_infos:
                if (task.get("taskStatus") or {}).get("state") not in ("RUNNING", "PLANNED"):
                    continue
                node = task_node(task)
                for kind, operator in operators(task):
                    if kind != "driver" or operator.get("operatorType") not in SCAN_OPERATORS:
                        continue
                    for split in split_infos(operator.get("info")):
                        key = (split.get("path", ""), split.get("batches", ""))
                        seen[key] = (split.get("preferredNode", ""), node)
        polls += 1
        time.sleep(0.1)
    thread.join()
    query_id, _, error = outcome["result"]
    figures = {"query_id": query_id or "", "error": error or "", "polls": polls}
    # the splits each task ran, from the final query info (drivers of its scan pipeline)
    total = 0
    per_node = {}
    if query_id and not error:
        for stage in stages(query_info(port, query_id)):
            for task in tasks(stage):
                for kind, operator in operators(task):
                    if kind == "summary" and operator.get("operatorType") in SCAN_OPERATORS:
                        drivers = int(operator.get("totalDrivers") or 0)
                        total += drivers
                        node = task_node(task)
                        per_node[node] = per_node.get(node, 0) + drivers
    workers = {"127.0.0.1:%s" % w for w in worker_ports}
    worker_preferred = [v for v in seen.values() if v[0] in workers]
    figures.update(
        {
            "splits_total": total,
            "splits_per_node": ",".join("%s:%d" % kv for kv in sorted(per_node.items())),
            "splits_seen": len(seen),
            "preferred_worker": len(worker_preferred),
            "preferred_other": len(seen) - len(worker_preferred),
            "hits": sum(1 for preferred, node in worker_preferred if preferred == node),
        }
    )
    for key in sorted(figures):
        print("%s=%s" % (key, figures[key]))
    for (path, batches), (preferred, node) in sorted(seen.items()):
        print("split\t%s\t%s\t%s [%s]" % (preferred, node, path.rsplit("/", 1)[-1], batches))
    return 0 if not error else 1


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    command, port = argv[0], argv[1]
    if command == "query":
        sql = argv[2]
        id_file, session, timeout, rest = None, [], 300.0, argv[3:]
        while rest:
            if rest[0] == "--id-file" and len(rest) > 1:
                id_file = rest[1]
            elif rest[0] == "--timeout" and len(rest) > 1:
                timeout = float(rest[1])
            elif rest[0] == "--session" and len(rest) > 1:
                session.append(rest[1])
            else:
                sys.stderr.write(__doc__)
                return 2
            rest = rest[2:]
        try:
            query_id, rows, error = run(port, sql, session=session, deadline_seconds=timeout)
        except (urllib.error.URLError, OSError, ValueError) as e:
            sys.stderr.write("request failed: %s\n" % e)
            return 1
        if id_file and query_id:
            with open(id_file, "w") as f:
                f.write(query_id + "\n")
        if error:
            sys.stderr.write(error + "\n")
            return 1
        for row in rows:
            print("\t".join(cell(v) for v in row))
        return 0
    if command == "info":
        print(json.dumps(query_info(port, argv[2]), indent=1))
        return 0
    if command == "splits":
        for row in splits(port, argv[2]):
            print("\t".join(row))
        return 0
    if command == "writers":
        for node, rows in writers(port, argv[2]):
            print("%s\t%d" % (node, rows))
        return 0
    if command == "affinity":
        return affinity(port, argv[2].split(","), argv[3])
    if command == "insert-stream":
        insert_stream(port, argv[2], argv[3], argv[4])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
