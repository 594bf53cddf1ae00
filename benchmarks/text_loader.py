"""Time of the plain-text loader's block splitter on long unbroken paragraphs.

A hard-wrapped paragraph that never ends (no blank line, no sentence end at a short line)
is the worst case: every line is re-joined to the paragraph and the paragraph's end is
checked for continuations. Prints one JSON line per size with the seconds taken by
`text_to_blocks`, and, side by side in the same process, by a linear floor (splitting and
collapsing the same lines, which any loader must do); `ratio` stays flat when the splitter
is linear in the input.

    python -m benchmarks.text_loader                # 1, 4 and 16 MB
    python -m benchmarks.text_loader --sizes 1 2    # other sizes, in MB
"""

from __future__ import annotations

import argparse
import json
import time

from ingestion.loaders.structure import collapse, text_to_blocks

WORDS = (
    "the controller shall implement appropriate technical and organisational measures to "
    "ensure a level of security appropriate to the risk including inter alia as appropriate"
).split()


def unbroken_paragraph(megabytes: float, width: int = 78) -> str:
    """Hard-wrapped lines of lower-case prose, one paragraph of about `megabytes` MB."""
    target = int(megabytes * 1024 * 1024)
    lines, size, i = [], 0, 0
    while size < target:
        line, n = [], 0
        while n < width - 12:
            word = WORDS[i % len(WORDS)]
            line.append(word)
            n += len(word) + 1
            i += 1
        text = " ".join(line)
        lines.append(text)
        size += len(text) + 1
    return "\n".join(lines)


def floor(text: str) -> int:
    return sum(len(collapse(line)) for line in text.split("\n"))


def timed(fn, *args) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    for mb in args.sizes:
        text = unbroken_paragraph(mb)
        floor_s, _ = timed(floor, text)
        seconds, blocks = timed(text_to_blocks, text)
        print(
            json.dumps(
                {
                    "benchmark": "text_loader",
                    "megabytes": mb,
                    "lines": text.count("\n") + 1,
                    "blocks": len(blocks),  # type: ignore[arg-type]
                    "text_to_blocks_s": round(seconds, 3),
                    "linear_floor_s": round(floor_s, 3),
                    "ratio": round(seconds / floor_s, 1) if floor_s else None,
                    "mb_per_s": round(mb / seconds, 2) if seconds else None,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
