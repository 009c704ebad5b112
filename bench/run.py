"""The benchmark: synthetic campaigns of three sizes plus the bundled example, each stage timed
in fresh processes, the whole `python -m scorecard build` timed as a subprocess with its peak
memory, and two references measured in the same run (the import floor, Chromium printing the
same report). Writes the results into BENCHMARKS.md between its markers. Then the evaluation of
`scorecard suggest` on every labelled campaign, and its speed on the largest synthetic campaign
(scripts/eval_suggest.py), between the suggest markers.

    python bench/run.py                    # everything (a few minutes)
    python bench/run.py --sizes 10x30 --runs 3 --out /tmp/b.md   # a quick look

Medians of --runs runs. Peak memory is the child's ru_maxrss (os.wait4), in MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

PY = sys.executable
FLOOR_IMPORTS = (
    "import yaml, jinja2, markdown_it, markupsafe, click; from pydantic import BaseModel"
)
CHROMIUM = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--no-pdf-header-footer",
]
# The outputs of the HTML builds measured: the pages (with badges and feed) and the JSON, as
# the goals say ("to HTML and JSON"); the PDF is measured apart.
HTML = "html,json"
CACHE = Path(tempfile.gettempdir()) / "scorecard-bench-cache"  # set in main()
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def measure(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str, float]:
    """Run a command: (wall seconds, peak memory MB, stdout, CPU seconds user+system).

    Memory and CPU come from os.wait4: the child's own (with the processes it waited for), not
    its siblings'. CPU time is reported beside wall time because the machine may be shared:
    other work slows the wall clock much more than it changes the CPU a process needs."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": "1700000000",
        "SCORECARD_CACHE": str(CACHE),
    }
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd or ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(
                f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
                f"{err.read().decode()[-2000:]}"
            )
        return (wall, usage.ru_maxrss / 1024, out.read().decode(), usage.ru_utime + usage.ru_stime)


def summary(found: list[tuple]) -> dict:
    return {
        "s": statistics.median(f[0] for f in found),
        "mb": max(f[1] for f in found),
        "cpu": statistics.median(f[3] for f in found),
        "min": min(f[0] for f in found),
        "all": [round(f[0], 3) for f in found],
    }


def median_of(runs: int, cmd: list[str], before=None) -> dict:
    found = []
    for _ in range(runs):
        if before:
            before()
        found.append(measure(cmd))
    return summary(found)


def paired(runs: int, a: list[str], b: list[str]) -> tuple[dict, dict]:
    """Two commands run in turn, ``runs`` times each: medians that saw the same load."""
    results: tuple[list, list] = ([], [])
    for _ in range(runs):
        for cmd, found in zip((a, b), results, strict=True):
            found.append(measure(cmd))
    return summary(results[0]), summary(results[1])


def stages(project: Path, runs: int, pdf: bool, html_out: Path) -> dict:
    """Medians per stage over fresh processes (bench/stages.py)."""
    results = []
    for i in range(runs):
        cmd = [PY, str(HERE / "stages.py"), str(project)]
        if pdf and i == 0:  # the PDF stage once: the whole-process PDF build has the median
            cmd.append("--pdf")
        if i == 0:
            cmd += ["--report-html", str(html_out)]
        results.append(json.loads(measure(cmd)[2]))
    med = {
        k: statistics.median(r["times"][k] for r in results if k in r["times"])
        for k in results[0]["times"]
    }
    return {**results[0], "times": med, "maxrss_mb": max(r["maxrss_mb"] for r in results)}


def chromium(html: Path, runs: int, tmp: Path) -> dict:
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    pdf = tmp / "chromium.pdf"
    profile = tmp / "chromium-profile"
    cmd = [exe, *CHROMIUM, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.as_uri()]
    result = median_of(runs, cmd, before=lambda: shutil.rmtree(profile, ignore_errors=True))
    from stages import pdf_pages

    result["pages"] = pdf_pages(pdf.read_bytes())
    return result


def campaigns(sizes: list[tuple[int, int]], tmp: Path) -> list[tuple[str, Path, int]]:
    example = tmp / "example"
    example.mkdir()
    for name in ("demands.yaml", "responses.yaml", "assessments.yaml"):
        shutil.copy(ROOT / name, example / name)
    import yaml  # the label counts what is measured: demands, and responses of every target

    demands = len(yaml.safe_load((ROOT / "demands.yaml").read_text(encoding="utf-8"))["demands"])
    responses = yaml.safe_load((ROOT / "responses.yaml").read_text(encoding="utf-8"))
    out = [(f"example ({demands}/{len(responses['responses'])})", example, demands)]
    for d, r in sizes:
        # In a child process: a parent grown by the generator would pass its peak memory on to
        # every child it starts (ru_maxrss survives fork and exec).
        folder = tmp / f"c{d}x{r}"
        measure([PY, str(HERE / "gen.py"), str(d), str(r), str(folder)])
        out.append((f"{d:,}/{r:,}", folder, d))
    return out


def versions() -> dict[str, str]:
    import yaml

    names = [
        "pyyaml",
        "jinja2",
        "markdown-it-py",
        "pydantic",
        "pydantic-core",
        "click",
        "weasyprint",
    ]
    found = {n: metadata.version(n) for n in names}
    found["libyaml"] = yaml.__with_libyaml__ and yaml._yaml.get_version_string()
    try:
        found["chromium"] = subprocess.run(
            ["chromium", "--version"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        found["chromium"] = "not installed"
    found["python"] = platform.python_version()
    return found


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration):
        ram = "unknown RAM"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {ram}; {platform.system()} {platform.release()}; "
        f"load average at the start {load:.2f}"
    )


def fmt(seconds: float) -> str:
    return f"{seconds:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes", default="10x30,100x1000,1000x10000", help="demands x responses, comma-separated"
    )
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    ap.add_argument(
        "--pdf-max", type=int, default=100, help="render PDFs only up to this many demands"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = ap.parse_args()
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",") if s]
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    info = machine()
    # The tool's bytecode, as after `pip install` (which compiles it) or a first run: a machine
    # with PYTHONDONTWRITEBYTECODE set would otherwise compile ~15 modules on every run (~40 ms),
    # which the import floor, all installed packages, never does. measure() unsets it too.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "scorecard")], check=True)
    with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as tmpname:
        tmp = Path(tmpname)
        global CACHE
        CACHE = tmp / "cache"
        projects = campaigns(sizes, tmp)
        example_build = [
            PY,
            "-m",
            "scorecard",
            "build",
            str(projects[0][1]),
            "--out",
            str(tmp / "example-out"),
            "--format",
            HTML,
        ]
        measure(example_build)  # fill the cache: the pair below compares warm builds
        # The floor and the example build alternate, so that both see the same machine load.
        floor, example_warm = paired(args.runs, [PY, "-c", FLOOR_IMPORTS], example_build)
        helps = median_of(args.runs, [PY, "-m", "scorecard", "--help"])
        # `scorecard status` against the floor, alternating, like the example build.
        _, status = paired(
            args.runs,
            [PY, "-c", FLOOR_IMPORTS],
            [PY, "-m", "scorecard", "status", str(projects[0][1])],
        )
        print("serve: rebuilds after one edit", file=sys.stderr)
        serve = json.loads(
            measure(
                [
                    PY,
                    str(ROOT / "scripts" / "bench_serve.py"),
                    "--runs",
                    str(max(args.runs * 4, 10)),
                    "--json",
                ]
            )[2]
        )
        rows = []
        for label, project, n_demands in projects:
            pdf = n_demands <= args.pdf_max
            html_file = tmp / f"{project.name}-report.html"
            print(f"{label}: stages", file=sys.stderr)
            st = stages(project, args.runs, pdf, html_file)
            out = tmp / f"{project.name}-out"
            build = [PY, "-m", "scorecard", "build", str(project), "--out", str(out)]
            print(f"{label}: whole process", file=sys.stderr)
            cold = median_of(
                args.runs,
                [*build, "--format", HTML],
                before=lambda: shutil.rmtree(CACHE, ignore_errors=True),
            )
            warm = median_of(args.runs, [*build, "--format", HTML])
            if project == projects[0][1]:
                warm = example_warm
            row = {"label": label, "stages": st, "cold": cold, "warm": warm}
            if pdf:
                print(f"{label}: PDF and Chromium", file=sys.stderr)
                # the benchmark's own data: trusted, past the default PDF budget
                row["pdf"] = median_of(
                    args.runs, [*build, "--format", "pdf", "--pdf-budget", "10000000"]
                )
                row["chromium"] = chromium(html_file, args.runs, tmp)
            rows.append(row)
    text = report(rows, floor, helps, versions(), info, started, args.runs, status, serve)
    write(args.out, text)
    print(text)
    suggestions(args.out, max(sizes, key=lambda s: s[0] * s[1]) if sizes else (1000, 10000))


def suggestions(out: Path, size: tuple[int, int]) -> None:
    """`scorecard suggest` measured on every labelled campaign, and its speed on the largest
    synthetic one (scripts/eval_suggest.py, in a fresh process): into ``out`` between its
    suggest markers when the file has them, else only printed."""
    print("suggest: evaluation and speed", file=sys.stderr)
    cmd = [PY, str(ROOT / "scripts" / "eval_suggest.py"), "--speed", f"{size[0]}x{size[1]}"]
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if "<!-- suggest:begin -->" in old and "<!-- suggest:end -->" in old:
        cmd += ["--write", str(out)]
    print(measure(cmd)[2])


def cell(found: dict) -> str:
    return f"{fmt(found['s'])}; {fmt(found['cpu'])}; {found['mb']:.0f}"


def report(
    rows: list[dict],
    floor: dict,
    helps: dict,
    vers: dict,
    info: str,
    started: dt.datetime,
    runs: int,
    status: dict,
    serve: dict,
) -> str:
    lines = [
        (
            f"Run on {started.isoformat().replace('+00:00', 'Z')} by `python bench/run.py` "
            f"(median of {runs} runs; fresh process each run)."
        ),
        "",
        f"- Machine: {info}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in vers.items()),
        "",
        "### References",
        "",
        "| measurement | median s (fastest) | median CPU s | peak MB |",
        "|---|---:|---:|---:|",
        (
            f'| import floor (`python -c "{FLOOR_IMPORTS}"`) | {fmt(floor["s"])} '
            f"({fmt(floor['min'])}) | {fmt(floor['cpu'])} | {floor['mb']:.0f} |"
        ),
        (
            f"| `python -m scorecard --help` | {fmt(helps['s'])} ({fmt(helps['min'])}) | "
            f"{fmt(helps['cpu'])} | {helps['mb']:.0f} |"
        ),
        (
            f"| `python -m scorecard status` (example) | {fmt(status['s'])} ({fmt(status['min'])}) "
            f"| {fmt(status['cpu'])} | {status['mb']:.0f} |"
        ),
        (
            f"| `serve`: rebuild of every output but the PDF after one edit (example, in process)"
            f" | {serve['rebuild_ms'] / 1000:.3f} ({serve['rebuild_max_ms'] / 1000:.3f} slowest) "
            "| - | - |"
        ),
        "",
        "### Stages (in one fresh process, seconds)",
        "",
        (
            "| campaign (demands/responses) | import | parse (no cache) | load (cache) | validate "
            "| match | HTML render | "
            "page MB | largest evidence page MB | WeasyPrint import | PDF render | pages "
            "| peak MB |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        t = row["stages"]["times"]
        st = row["stages"]
        lines.append(
            f"| {row['label']} | {fmt(t['import'])} | {fmt(t['parse'])} | {fmt(t['load'])} "
            f"| {fmt(t['validate'])} "
            f"| {fmt(t['match'])} | {fmt(t['html'])} | {st['html_bytes'] / 1e6:.1f} "
            f"| {st['evidence_bytes'] / 1e6:.1f} | "
            + (
                f"{fmt(t['pdf_import'])} | {fmt(t['pdf'])} | {st['pdf_pages']} | "
                if "pdf" in t
                else "- | - | - | "
            )
            + f"{st['maxrss_mb']:.0f} |"
        )
    lines += [
        "",
        (
            "Medians, except WeasyPrint import and PDF render: one run (the whole-process PDF "
            "build below has the median). HTML render includes building the template context "
            "(`render.document`); Jinja's compiled templates and the Markdown come from the cache "
            'after the first run; "parse" is the YAML without the cache, as on a first build.'
        ),
        "",
        "### Whole process (`python -m scorecard build`)",
        "",
        "Each cell: median wall seconds; median CPU seconds (user + system); peak MB.",
        "",
        (
            "| campaign | HTML and JSON, cold cache | HTML and JSON, warm cache | ratio to import "
            "floor (warm; wall, CPU) | PDF only | Chromium print | PDF / Chromium (wall, CPU) "
            "| pages WeasyPrint / Chromium |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        cold, warm = row["cold"], row["warm"]
        cells = [
            row["label"],
            cell(cold),
            cell(warm),
            f"{warm['s'] / floor['s']:.2f}x, {warm['cpu'] / floor['cpu']:.2f}x",
        ]
        if "pdf" in row:
            pdf, chrome = row["pdf"], row["chromium"]
            cells += [
                cell(pdf),
                cell(chrome),
                f"{pdf['s'] / chrome['s']:.2f}x, {pdf['cpu'] / chrome['cpu']:.2f}x",
                f"{row['stages']['pdf_pages']} / {chrome['pages']}",
            ]
        else:
            cells += ["-", "-", "-", "-"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "### Goals", "", "| goal | measured | met? |", "|---|---|---|"]
    by = {r["label"].split(" ")[0]: r for r in rows}
    goals = []
    if "example" in by:
        ratio = by["example"]["warm"]["s"] / floor["s"]
        cpu = by["example"]["warm"]["cpu"] / floor["cpu"]
        goals.append(
            (
                "example HTML and JSON build at most 1.3x the import floor",
                (
                    f"{ratio:.2f}x ({fmt(by['example']['warm']['s'])} s / "
                    f"{fmt(floor['s'])} s); CPU {cpu:.2f}x"
                ),
                ratio <= 1.3,
            )
        )
    goals.append(("`scorecard --help` at most 0.15 s", f"{fmt(helps['s'])} s", helps["s"] <= 0.15))
    goals.append(
        (
            "`scorecard status` (example) at most the import floor + 0.1 s",
            (f"{fmt(status['s'])} s (floor {fmt(floor['s'])} s, +{status['s'] - floor['s']:.3f})"),
            status["s"] <= floor["s"] + 0.1,
        )
    )
    goals.append(
        (
            "`serve` rebuilds every output but the PDF within 0.1 s (example)",
            f"{serve['rebuild_ms'] / 1000:.3f} s (median)",
            serve["rebuild_ms"] <= 100,
        )
    )
    if "1,000/10,000" in by:
        big = by["1,000/10,000"]
        for kind in ("warm", "cold"):
            r = big[kind]
            goals.append(
                (
                    f"1,000/10,000 HTML and JSON build at most 1.5 s and 300 MB ({kind} cache)",
                    f"{fmt(r['s'])} s, {r['mb']:.0f} MB",
                    r["s"] <= 1.5 and r["mb"] <= 300,
                )
            )
        size, evidence = big["stages"]["html_bytes"], big["stages"]["evidence_bytes"]
        goals.append(
            (
                "1,000/10,000 page at most a third of 32 MB (10.7 MB; the evidence page apart)",
                (
                    f"{size / 1e6:.1f} MB (evidence: {big['stages'].get('evidence_pages', 1)} "
                    f"page(s), the largest {evidence / 1e6:.1f} MB)"
                ),
                size <= 32e6 / 3,
            )
        )
    if "example" in by and "pdf" in by["example"]:
        r = by["example"]
        ratio = r["pdf"]["s"] / r["chromium"]["s"]
        goals.append(
            (
                "example PDF no slower than Chromium",
                f"{ratio:.2f}x ({fmt(r['pdf']['s'])} s / {fmt(r['chromium']['s'])} s)",
                ratio <= 1.0,
            )
        )
    if "100/1,000" in by and "pdf" in by["100/1,000"]:
        r = by["100/1,000"]
        ratio = r["pdf"]["s"] / r["chromium"]["s"]
        goals.append(
            (
                "100/1,000 PDF at most 2x Chromium and 300 MB",
                (
                    f"{ratio:.2f}x ({fmt(r['pdf']['s'])} s / {fmt(r['chromium']['s'])} s), "
                    f"{r['pdf']['mb']:.0f} MB"
                ),
                ratio <= 2 and r["pdf"]["mb"] <= 300,
            )
        )
    for goal, measured, ok in goals:
        lines.append(f"| {goal} | {measured} | {'yes' if ok else '**no**'} |")
    return "\n".join(lines) + "\n"


def write(path: Path, table: str) -> None:
    """Replace the text between the markers, keeping what people wrote around it."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:
        head, tail = "# Benchmarks\n\n", "\n"
    path.write_text(f"{head}{BEGIN}\n{table}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
