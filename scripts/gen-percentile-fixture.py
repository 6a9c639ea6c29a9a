#!/usr/bin/env python3
"""Writes fixtures/percentiles/numpy-linear.json: numpy's answers that test/metrics/numpy-fixture.test.ts checks
src/metrics/statistics.ts against (percentiles by numpy's default 'linear' method, mean, std with ddof=0).

Small arrays are stored as values. Large arrays are stored as a generator both sides evaluate with exact IEEE
double arithmetic (integer products below 2**53, then one division and multiplications, all correctly rounded), so
the fixture stays small:  u_i = ((i * a) mod m) / m,  x_i = u_i * u_i * scale + offset,  i = 1..n.

Run from the repository root:  python3 scripts/gen-percentile-fixture.py && npx prettier --write fixtures/percentiles
CI does not run it; the output is committed.
"""

import json
import pathlib

import numpy as np

QS = [0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100]
OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "percentiles" / "numpy-linear.json"


def modular(n: int, a: int, m: int, scale: float, offset: float) -> np.ndarray:
    i = np.arange(1, n + 1, dtype=np.int64)
    u = ((i * a) % m).astype(np.float64) / float(m)
    return u * u * scale + offset


def case(name: str, values: np.ndarray, generator: dict | None = None) -> dict:
    values = np.asarray(values, dtype=np.float64)
    entry: dict = {"name": name, "n": int(values.size)}
    if generator is None:
        entry["values"] = values.tolist()
    else:
        entry["generator"] = generator
    entry["percentiles"] = {str(q): float(np.percentile(values, q)) for q in QS}
    entry["mean"] = float(np.mean(values))
    entry["std"] = float(np.std(values))  # ddof=0, numpy's default and what vLLM reports
    return entry


def main() -> None:
    rng = np.random.default_rng(20250601)
    cases = [
        case("lognormal latencies (n=1000)", rng.lognormal(mean=4.0, sigma=0.6, size=1000)),
        case("ties", np.array([5, 5, 5, 1, 1, 9, 9, 9, 9, 2, 5, 5], dtype=np.float64)),
        case("n=1", np.array([42.5])),
        case("n=2", np.array([3.0, 7.0])),
        case("even length (n=10)", rng.uniform(0, 100, size=10)),
        case("odd length (n=11)", rng.uniform(0, 100, size=11)),
        case("negative and positive (n=257)", rng.normal(loc=-5.0, scale=20.0, size=257)),
        case("all negative (n=64)", -rng.exponential(scale=3.0, size=64)),
        case("integer token gaps with many ties (n=500)", rng.integers(1, 8, size=500).astype(np.float64) * 12.5),
    ]
    for n, a, m, scale, offset in [
        (1_000_000, 48271, 2147483647, 1000.0, 0.0),
        (100_003, 16807, 99991, 250.0, -40.0),
    ]:
        gen = {"kind": "modular", "n": n, "a": a, "m": m, "scale": scale, "offset": offset}
        cases.append(case(f"large generated (n={n})", modular(n, a, m, scale, offset), gen))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "description": "numpy.percentile (method='linear'), numpy.mean and numpy.std (ddof=0) of each array; "
        "written by scripts/gen-percentile-fixture.py",
        "numpy": np.__version__,
        "qs": QS,
        "cases": cases,
    }
    OUT.write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
