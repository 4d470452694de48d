#!/usr/bin/env python3
"""Runs the benchmark of Scripts/bench.sh (which builds the binaries and calls this) and prints
one Markdown table: every figure beside pyarrow's, measured in the same run, on loopback, with
servers and clients in separate processes, medians of --repeat runs.

Servers: `flight serve` (Swift) and Tests/Peers/pyarrow_server.py (a pyarrow table store).
Clients: Scripts/bench/store_client.py (pyarrow), the `flight` tool, `flight-bench client`.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ROWS = (4096, 65536)  # 128 KiB and 2 MiB batches of 4 int64 columns
NONE = object()  # a figure pyarrow has no counterpart of


def log(text):
    print(text, file=sys.stderr, flush=True)


class Server:
    """A server process that announces `Server listening on <host>:<port>` on its first line."""

    def __init__(self, name, command):
        self.name = name
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("Server listening on "):
            raise SystemExit(f"the {name} server did not announce its port (got {line!r})")
        self.port = int(line.rsplit(":", 1)[1])
        self.location = f"grpc://localhost:{self.port}"
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def rss_kib(self, field="VmRSS"):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        """User plus system CPU time the server has used so far."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def reset_peak(self):
        with open(f"/proc/{self.process.pid}/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current RSS

    def stop(self):
        self.process.stdin.close()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run(command, timeout=300, stdout=subprocess.PIPE):
    """Runs a whole process: (wall seconds, stdout text)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError(f"timed out: {' '.join(command)}")
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"exit {process.returncode}: {' '.join(command)}: {err.strip()[-400:]}")
    return wall, out or ""


def peak_rss(command):
    """Runs a whole process and returns (wall seconds, its peak RSS in KiB, from wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    err = process.stderr.read().decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"exit {process.returncode}: {' '.join(command)}: {err.strip()[-400:]}")
    return wall, usage.ru_maxrss


def json_line(text):
    return json.loads(text.strip().splitlines()[-1])


class Bench:
    def __init__(self, args):
        self.args = args
        self.python = args.python
        self.client = [args.python, os.path.join(HERE, "store_client.py")]
        self.work = tempfile.mkdtemp(prefix="flight-bench-", dir=args.work_dir)
        self.results = {}  # key -> list of values
        self.notes = []
        self.fifo_works = None

    def record(self, key, value):
        self.results.setdefault(key, []).append(value)
        log(f"    {key}: {value:.1f}")

    def median(self, key):
        values = self.results.get(key)
        return statistics.median(values) if values else None

    def pyclient(self, *arguments):
        return json_line(run(self.client + list(arguments))[1])

    # --- data files --------------------------------------------------------------------

    def make_files(self):
        self.files = {}
        for rows in ROWS + (0,):
            path = os.path.join(self.work, f"input-{rows}.arrow")
            size = self.args.size_mb if rows else 0
            self.pyclient("make-file", "--output", path, "--rows-per-batch", str(rows), "--size-mb", str(size))
            self.files[rows] = path
        self.bytes = {rows: self.args.size_mb << 20 for rows in ROWS}

    # --- server side: the same pyarrow client against either server --------------------

    def server_side(self, servers):
        for rows in ROWS:
            for name, server in servers.items():
                path = f"bench/server{rows}"
                gib = (self.args.size_mb << 20) / (1 << 30)
                cpu = server.cpu_seconds()
                put = self.pyclient(
                    "put", "--location", server.location, "--path", path, "--rows-per-batch", str(rows),
                    "--size-mb", str(self.args.size_mb))
                self.record(f"server:put:{rows}:{name}", put["mb_per_s"])
                self.record(f"server:putcpu:{rows}:{name}", (server.cpu_seconds() - cpu) * 1000 / gib)
                cpu = server.cpu_seconds()
                got = self.pyclient("get", "--location", server.location, "--path", path)
                if got["bytes"] != put["bytes"]:
                    raise RuntimeError(f"{name} served {got['bytes']} bytes of the {put['bytes']} stored")
                self.record(f"server:get:{rows}:{name}", got["mb_per_s"])
                self.record(f"server:getcpu:{rows}:{name}", (server.cpu_seconds() - cpu) * 1000 / gib)

    # --- client side: whole processes against the pyarrow store ------------------------

    def tool_put(self, location, rows, path):
        return [self.args.flight, "put", "--location", location, "--path", path, "--input", self.files[rows]]

    def script_put(self, location, rows, path):
        return self.client + ["put-file", "--location", location, "--path", path, "--input", self.files[rows]]

    def tool_get(self, location, path, output):
        return [self.args.flight, "get", "--location", location, "--path", path, "--output", output,
                "--format", "stream"]

    def script_get(self, location, path, output):
        return self.client + ["get-file", "--location", location, "--path", path, "--output", output]

    def timed_get(self, command_of, location, path):
        """Wall time of a get whose output goes to a FIFO drained by `cat` (or, when the tool
        cannot write through a FIFO, a file on tmpfs)."""
        if self.fifo_works is not False:
            fifo = os.path.join(self.work, "out.fifo")
            if os.path.exists(fifo):
                os.unlink(fifo)
            os.mkfifo(fifo)
            drain = subprocess.Popen(["cat", fifo], stdout=subprocess.DEVNULL)
            try:
                wall, _ = run(command_of(location, path, fifo))
                drain.wait(timeout=10)
                self.fifo_works = True
                return wall
            except subprocess.TimeoutExpired:
                drain.kill()
                drain.wait()
                self.fifo_works = False
                self.notes.append(
                    "`flight get --output FIFO` did not write through the FIFO (it renames a file over it): "
                    "get outputs went to a file on tmpfs (/dev/shm) instead, for both tools.")
            finally:
                if os.path.exists(fifo):
                    os.unlink(fifo)
        output = os.path.join("/dev/shm", f"flight-bench-{os.getpid()}.arrows")
        try:
            wall, _ = run(command_of(location, path, output))
        finally:
            if os.path.exists(output):
                os.unlink(output)
        return wall

    def whole_processes(self, label, put_command, get_command, location):
        """Net rates of whole put and get processes (minus the same on a zero-row table)."""
        zero = f"bench/{label}zero"
        base_put = statistics.median(run(put_command(location, 0, zero))[0] for _ in range(3))
        base_get = statistics.median(self.timed_get(get_command, location, zero) for _ in range(3))
        for rows in ROWS:
            path = f"bench/{label}{rows}"
            wall, _ = run(put_command(location, rows, path))
            self.record(f"{label}:put:{rows}", self.bytes[rows] / 1e6 / max(wall - base_put, 1e-3))
            wall = self.timed_get(get_command, location, path)
            self.record(f"{label}:get:{rows}", self.bytes[rows] / 1e6 / max(wall - base_get, 1e-3))
        self.record(f"{label}:startup:put", base_put * 1000)
        self.record(f"{label}:startup:get", base_get * 1000)

    # --- small calls and parallel streams -----------------------------------------------

    def small_calls(self, servers):
        for name, server in servers.items():
            for concurrency in (1, 32):
                info = self.pyclient(
                    "info", "--location", server.location, "--path", "bench/server65536", "--calls",
                    str(self.args.calls), "--concurrency", str(concurrency))
                self.record(f"info:py:{concurrency}:{name}", info["calls_per_s"])
                self.record(f"info:pycpu:{concurrency}:{name}", info["client_cpu_cores"])
        for concurrency in (1, 32):
            out = run([self.args.flight_bench, "client", "--location", servers["swift"].location, "--op",
                       "getflightinfo", "--path", "bench/server65536", "--calls", str(self.args.calls),
                       "--concurrency", str(concurrency)])[1]
            self.record(f"info:swift:{concurrency}", json_line(out)["calls_per_s"])

    def parallel(self, servers):
        for name, server in servers.items():
            got = self.pyclient("parallel", "--location", server.location, "--path", "bench/parallel", "--streams", "8")
            self.record(f"parallel:{name}", got["mb_per_s"])

    # --- memory -------------------------------------------------------------------------

    def memory(self, pyarrow_server):
        gib = 1024
        swift = Server("swift-memory", [self.args.flight, "serve", "--port", "0"])
        try:
            before = swift.rss_kib()
            swift.reset_peak()
            self.pyclient("put", "--location", swift.location, "--path", "bench/gib", "--rows-per-batch", "65536",
                          "--size-mb", str(gib))
            self.record("memory:serve-put", (swift.rss_kib("VmHWM") - before - (gib << 10)) / 1024)
            stored = swift.rss_kib()
            swift.reset_peak()
            self.pyclient("get", "--location", swift.location, "--path", "bench/gib")
            self.record("memory:serve", (swift.rss_kib("VmHWM") - stored) / 1024)
        finally:
            swift.stop()
        self.pyclient("put", "--location", pyarrow_server.location, "--path", "bench/gib", "--rows-per-batch", "65536",
                      "--size-mb", str(gib))
        output = os.path.join(self.work, "gib.arrows")
        _, kib = peak_rss(self.tool_get(pyarrow_server.location, "bench/gib", output))
        os.unlink(output)
        self.record("memory:get", kib / 1024)
        _, kib = peak_rss(self.script_get(pyarrow_server.location, "bench/gib", output))
        os.unlink(output)
        self.record("memory:get-pyarrow", kib / 1024)

    # --- the run ------------------------------------------------------------------------

    def run(self):
        load_start = open("/proc/loadavg").read().split()[:3]
        log("==> input files")
        self.make_files()
        servers = {
            "swift": Server("swift", [self.args.flight, "serve", "--port", "0"]),
            "pyarrow": Server("pyarrow", [self.python, os.path.join(REPO, "Tests/Peers/pyarrow_server.py")]),
        }
        try:
            for repetition in range(self.args.repeat):
                log(f"==> repetition {repetition + 1} of {self.args.repeat}")
                log("  loopback TCP")
                self.record("tcp", self.pyclient("tcp", "--size-mb", str(max(self.args.size_mb, 1024)))["mb_per_s"])
                log("  server side")
                self.server_side(servers)
                log("  client side (whole processes against the pyarrow store)")
                loc = servers["pyarrow"].location
                self.whole_processes("tool", self.tool_put, self.tool_get, loc)
                self.whole_processes("script", self.script_put, self.script_get, loc)
                log("  Swift <-> Swift and pyarrow <-> pyarrow")
                self.whole_processes("swiftswift", self.tool_put, self.tool_get, servers["swift"].location)
                self.whole_processes("pypy", self.script_put, self.script_get, loc)
                log("  GetFlightInfo")
                self.small_calls(servers)
                log("  8 parallel DoGets")
                for server in servers.values():
                    self.pyclient("put", "--location", server.location, "--path", "bench/parallel",
                                  "--rows-per-batch", "65536", "--size-mb", str(self.args.size_mb // 8))
                self.parallel(servers)
            log("==> memory")
            self.memory(servers["pyarrow"])
        finally:
            for server in servers.values():
                server.stop()
            for name in os.listdir(self.work):
                os.unlink(os.path.join(self.work, name))
            os.rmdir(self.work)
        load_end = open("/proc/loadavg").read().split()[:3]
        return self.table(load_start, load_end)

    # --- the table ----------------------------------------------------------------------

    def table(self, load_start, load_end):
        m = self.median
        rows = []

        def ratio(a, b):
            return f"{a / b:.2f}×" if a and b and b is not NONE else "–"

        def add(what, swift, pyarrow, unit, target, fmt="{:,.0f}"):
            """A row; `pyarrow` is NONE where pyarrow has no counterpart figure."""
            def shown(value):
                if value is NONE:
                    return "–"
                return (fmt.format(value) + (" " + unit if unit else "")) if value is not None else "failed"
            rows.append(f"| {what} | {shown(swift)} | {shown(pyarrow)} | {ratio(swift, pyarrow)} | {target} |")

        kib = {4096: "128 KiB", 65536: "2 MiB"}
        tcp = m("tcp")
        for rows_per_batch in ROWS:
            target = "≥ 1.5×" if rows_per_batch == 4096 else "≥ 1.2×"
            add(f"server DoPut, pyarrow client, {kib[rows_per_batch]} batches",
                m(f"server:put:{rows_per_batch}:swift"), m(f"server:put:{rows_per_batch}:pyarrow"), "MB/s", target)
            add(f"server DoGet of what was stored, pyarrow client, {kib[rows_per_batch]} batches",
                m(f"server:get:{rows_per_batch}:swift"), m(f"server:get:{rows_per_batch}:pyarrow"), "MB/s", target)
        for rows_per_batch in ROWS:
            for op, name in (("put", "DoPut"), ("get", "DoGet")):
                # Lower is better: the ratio is pyarrow's CPU time over Swift's.
                swift_cpu = m(f"server:{op}cpu:{rows_per_batch}:swift")
                pyarrow_cpu = m(f"server:{op}cpu:{rows_per_batch}:pyarrow")
                shown = lambda v: f"{v:,.0f} ms" if v is not None else "failed"
                rows.append(f"| server CPU time per GiB, {name}, {kib[rows_per_batch]} batches (lower is better) | "
                            f"{shown(swift_cpu)} | {shown(pyarrow_cpu)} | {ratio(pyarrow_cpu, swift_cpu)} less | – |")
        for rows_per_batch in ROWS:
            add(f"`flight put` vs a pyarrow script, whole process, net of start-up, {kib[rows_per_batch]}",
                m(f"tool:put:{rows_per_batch}"), m(f"script:put:{rows_per_batch}"), "MB/s", "≥ 1.2×")
            add(f"`flight get --output` vs a pyarrow script, whole process, net of start-up, {kib[rows_per_batch]}",
                m(f"tool:get:{rows_per_batch}"), m(f"script:get:{rows_per_batch}"), "MB/s", "≥ 1.2×")
        for rows_per_batch in ROWS:
            add(f"Swift↔Swift vs pyarrow↔pyarrow put (tool, store server), {kib[rows_per_batch]}",
                m(f"swiftswift:put:{rows_per_batch}"), m(f"pypy:put:{rows_per_batch}"), "MB/s", "–")
            target = f"{m(f'swiftswift:get:65536') / tcp * 100:.0f}% of TCP (≥ 70%)" if rows_per_batch == 65536 and tcp and m("swiftswift:get:65536") else "–"
            add(f"Swift↔Swift vs pyarrow↔pyarrow get (tool, store server), {kib[rows_per_batch]}",
                m(f"swiftswift:get:{rows_per_batch}"), m(f"pypy:get:{rows_per_batch}"), "MB/s", target)
        add("start-up of a `flight put` process / the pyarrow script (zero rows), ms (lower is better)",
            m("tool:startup:put"), m("script:startup:put"), "", "–", "{:,.0f}")
        for concurrency in (1, 32):
            callers = "one caller" if concurrency == 1 else "32 concurrent callers"
            add(f"GetFlightInfo calls/s, pyarrow client, {callers} (pyarrow client CPU: "
                f"{m(f'info:pycpu:{concurrency}:swift') or 0:.2f} / {m(f'info:pycpu:{concurrency}:pyarrow') or 0:.2f} cores)",
                m(f"info:py:{concurrency}:swift"), m(f"info:py:{concurrency}:pyarrow"), "", "≥ 1.5×")
            add(f"GetFlightInfo calls/s, Swift↔Swift vs pyarrow↔pyarrow, {callers}",
                m(f"info:swift:{concurrency}"), m(f"info:py:{concurrency}:pyarrow"), "", "≥ 2×")
        add("8 concurrent DoGets, aggregate, pyarrow client", m("parallel:swift"), m("parallel:pyarrow"), "MB/s",
            "≥ 1.3×")
        add("peak RSS of `flight serve` beyond stored data while serving 1 GiB (bound 64 MiB)",
            m("memory:serve"), NONE, "MiB", "≤ 64 MiB", "{:,.1f}")
        add("peak RSS of `flight serve` beyond the 1 GiB it stores, while storing it",
            m("memory:serve-put"), NONE, "MiB", "–", "{:,.1f}")
        add("peak RSS of `flight get` / the pyarrow script fetching 1 GiB to a file (lower is better)",
            m("memory:get"), m("memory:get-pyarrow"), "MiB", "≤ 64 MiB", "{:,.1f}")
        add("plain loopback TCP, one stream (socket-pair probe)", tcp, NONE, "MB/s", "the limit")
        cpu = ""
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        header = [
            "| path | Swift | pyarrow | ratio | target |",
            "| --- | --- | --- | --- | --- |",
        ]
        notes = [
            "",
            f"`Scripts/bench.sh` (--size-mb {self.args.size_mb}, medians of {self.args.repeat}), "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores ({cpu}), "
            f"load average {' '.join(load_start)} at start, {' '.join(load_end)} at end. "
            "MB/s = 10^6 bytes of Arrow buffers per second; 4 int64 columns; loopback; each side its own process. "
            "pyarrow store server: Tests/Peers/pyarrow_server.py; pyarrow client and scripts: "
            "Scripts/bench/store_client.py. Whole-process figures subtract the median wall time of the same "
            "command on a zero-row table.",
        ] + self.notes
        return "\n".join(header + rows + notes) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flight", required=True)
    parser.add_argument("--flight-bench", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size-mb", type=int, default=512)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--work-dir", default=None)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    table = Bench(args).run()
    if args.output:
        with open(args.output, "w") as out:
            out.write(table)
    print(table)


if __name__ == "__main__":
    main()
