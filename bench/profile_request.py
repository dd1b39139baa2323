"""Where one request's time goes, in-process, on a bench data set (made by bench/search_data.py).

    python bench/profile_request.py --records 100000 --backend sqlite [--top 25] PATH...

Each path is requested once to warm up, then `--repeat` times under cProfile; prints the mean
wall time per request and the functions with the most cumulative time. Example paths:
"/api/v1/search?type=all&q=宁波", "/", "/penalties?region=330212&category=罚款".
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_data as data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    data.use(args.records)
    client = data.app_for(args.backend, args.records, args.seed).test_client()
    for path in args.paths:
        status = client.get(path).status_code
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        for _ in range(args.repeat):
            client.get(path)
        profile.disable()
        took = (time.perf_counter() - start) / args.repeat * 1000
        print(f"\n=== {path}: HTTP {status}, {took:.1f} ms per request ({args.backend}) ===")
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
