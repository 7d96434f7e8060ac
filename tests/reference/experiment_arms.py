#!/usr/bin/env python3
"""Independent check of experiment arms in botify event logs (docs/contracts.md §4).

A from-scratch pure-Python MurmurHash3_x86_32 (no shared code with the C++ engine).
Usage: experiment_arms.py SPLITS_JSON LOG_FILE...
  SPLITS_JSON: {"EXPERIMENT": split, ...}
Prints "ok N" after checking every row's arm of every listed experiment, or the first
mismatch and exits 1.
"""
import json
import sys


def murmur3_x86_32(data: bytes, seed: int) -> int:
    c1, c2, mask = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = seed & mask
    rounded = len(data) - len(data) % 4
    for i in range(0, rounded, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xE6546B64) & mask
    k = 0
    tail = data[rounded:]
    if len(tail) >= 3:
        k ^= tail[2] << 16
    if len(tail) >= 2:
        k ^= tail[1] << 8
    if len(tail) >= 1:
        k ^= tail[0]
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h


def arm(name: str, split: int, user: int) -> str:
    seed = murmur3_x86_32(name.encode("utf-8"), 0)
    a = murmur3_x86_32(str(user).encode(), seed) % split
    return "C" if a == 0 else f"T{a}"


def main() -> int:
    assert murmur3_x86_32(b"hello", 42) == 3806057185
    splits = json.loads(sys.argv[1])
    checked = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            for lineno, line in enumerate(f, 1):
                row = json.loads(line)
                for name, split in splits.items():
                    want = arm(name, split, row["user"])
                    got = row["experiments"].get(name)
                    if got != want:
                        print(f"{path}:{lineno}: user {row['user']} {name}: log says {got}, "
                              f"expected {want}")
                        return 1
                    checked += 1
    print(f"ok {checked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
