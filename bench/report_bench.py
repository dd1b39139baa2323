"""Credit report render time and memory for one subject with many public records.

    python bench/report_bench.py [--records 200] [--runs 30] [--large 1000]

Wall times suffer from whatever else runs on the machine; the CPU time of the issuing process is
printed beside them. One run, one data set: a demo organisation whose --records public records (half licences, half
penalties, demo vocabulary) are imported through the operators' import command into a fresh SQLite
database under bench/out/. Then, each --runs times:
  1. collect   the report's content from the credit file (visibility, presenters, markers)
  2. render    the unsigned PDF (ReportLab), side by side with ReportLab's own CJK paragraph wrapping
               in every table cell (what this code avoided)
  3. sign      the PAdES signature (pyHanko)
  4. issue     all of it as the web request does: number, code hash, digest, snapshot, commit
and p50/p95 of each, peak RSS before and after, and the render of a --large record subject for the
memory bound. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, update  # noqa: E402

from portal import clock, create_app  # noqa: E402
from portal.demo.generator import Universe, generate_rows, write_csv  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Penalty, Subject  # noqa: E402
from portal.reports import pdf, signing  # noqa: E402
from portal.services.credit_reports import reports  # noqa: E402

OUT = ROOT / "bench" / "out" / "report_bench"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def build_site(folder: Path, records: int, seed: int):
    """An app over a fresh database holding one organisation with `records` public records."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'portal.db'}",
            "SECRET_KEY": "bench",
            "PORTAL_SEARCH_INDEX": str(folder / "search_index"),
            "PORTAL_UPLOAD_DIR": str(folder / "uploads"),
            "PORTAL_REPORT_SIGNING_DIR": str(folder / "signing"),
            "PORTAL_SEARCH_AUTOSYNC": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "credit.example.cn",
        }
    )
    runner = app.test_cli_runner()
    assert runner.invoke(args=["portal", "init-db"]).exit_code == 0
    universe = Universe(subjects=1, seed=seed)
    while universe.subjects[0].kind.value != "法人及非法人组织":
        seed += 1
        universe = Universe(subjects=1, seed=seed)
    today = clock.today()
    for kind, count in (("license", records // 2), ("penalty", records - records // 2)):
        path = folder / f"{kind}.csv"
        write_csv(path, kind, generate_rows(universe, kind, count, today, seed))
        result = runner.invoke(args=["portal", "import", kind, str(path)])
        assert result.exit_code == 0 and f"imported={count} " in result.output, result.output
    with app.app_context():
        # Every penalty on display today, so that the report holds all `records`.
        db.session.execute(update(Penalty).values(display_until=today + dt.timedelta(days=30)))
        db.session.commit()
    return app


def paragraph_table(section: pdf.Section):
    """The table with ReportLab's CJK paragraph wrapping in each cell (the alternative measured)."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    style = pdf._styles()["cell"]
    widths = [c.width * pdf.BODY_WIDTH for c in section.columns]
    data = [[Paragraph(c.header, style) for c in section.columns]]
    data += [[Paragraph(str(cell or "—"), style) for cell in row] for row in section.rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, pdf.RULE), ("FONT", (0, 0), (-1, -1), pdf.FONT)]))
    return table


def measure(app, runs: int) -> dict:
    timings: dict[str, list[float]] = {
        "collect": [],
        "render": [],
        "render_paragraphs": [],
        "sign": [],
        "issue": [],
        "issue_cpu": [],
    }
    with app.app_context(), app.test_request_context():
        subject = db.session.scalar(select(Subject))
        req = reports.Request(purpose="招投标")
        first = reports.issue(subject, req)  # font registration, key generation, caches
        ident = signing.identity(app.config)
        for _ in range(runs):
            t = time.perf_counter()
            content = reports.collect(subject, "full")
            timings["collect"].append(time.perf_counter() - t)
            document = reports._document(content, "full", "XY-20260101-000001", "ABCDEFGH", clock.now(), req)
            t = time.perf_counter()
            unsigned = pdf.render(document)
            timings["render"].append(time.perf_counter() - t)
            t = time.perf_counter()
            signing.sign(unsigned, ident, reason="bench", location="宁波", name="bench")
            timings["sign"].append(time.perf_counter() - t)
            t, cpu = time.perf_counter(), time.process_time()
            issued = reports.issue(subject, req)
            timings["issue"].append(time.perf_counter() - t)
            timings["issue_cpu"].append(time.process_time() - cpu)
        own_table = pdf._table
        pdf._table = paragraph_table
        try:
            for _ in range(max(3, runs // 5)):
                t = time.perf_counter()
                pdf.render(document)
                timings["render_paragraphs"].append(time.perf_counter() - t)
        finally:
            pdf._table = own_table
        return {
            "timings": timings,
            "records": sum(len(s.rows) for s in content.sections[2:]),
            "pages": issued.pdf.count(b"/Type /Page\n") or issued.pdf.count(b"/Type /Page"),
            "bytes": len(first.pdf),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    app = build_site(OUT / "main", args.records, args.seed)
    before = rss_mb()
    result = measure(app, args.runs)
    after, peak = rss_mb(), peak_mb()
    large = build_site(OUT / "large", args.large, args.seed)
    big = measure(large, 3)
    large_peak = peak_mb()

    print(f"\n## Credit report, one organisation with {result['records']} public records ({args.runs} runs)\n")
    print(f"PDF: {result['bytes'] // 1024} KB. Python {sys.version.split()[0]}, {dt.date.today()}.\n")
    print("| stage | p50 ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: |")
    labels = {
        "collect": "collect (credit file, presenters, markers)",
        "render": "render PDF (cells broken into lines here)",
        "render_paragraphs": "render PDF, ReportLab CJK paragraphs in cells (alternative)",
        "sign": "sign (pyHanko, PAdES)",
        "issue": "issue: all of it + number, code hash, digest, commit",
        "issue_cpu": "issue, CPU time of this process (what other load cannot inflate)",
    }
    for key, label in labels.items():
        values = result["timings"][key]
        print(
            f"| {label} | {percentile(values, 0.5) * 1000:.0f} | {percentile(values, 0.95) * 1000:.0f} "
            f"| {max(values) * 1000:.0f} |"
        )
    issue_p95 = percentile(result["timings"]["issue"], 0.95)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"\nLoad average during the run (2 cores, shared): {' '.join(load)}.")
    print(f"Target: issue p95 < 1000 ms -> {'met' if issue_p95 < 1 else 'NOT met'} ({issue_p95 * 1000:.0f} ms).")
    print(f"\nRSS before the first report {before:.0f} MB, after {args.runs + 1} reports {after:.0f} MB;")
    print(f"peak RSS {peak:.0f} MB. With {big['records']} records ({big['bytes'] // 1024} KB PDF):")
    print(
        f"issue p50 {statistics.median(big['timings']['issue']) * 1000:.0f} ms, peak RSS of the process "
        f"{large_peak:.0f} MB."
    )


if __name__ == "__main__":
    main()
