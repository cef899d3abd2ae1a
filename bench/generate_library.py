"""Generate a large library for the benchmark, the same bytes for the same arguments.

    python bench/generate_library.py OUT_DIR [--topics 5000] [--folders 50] [--seed 8] [--huge-10mb]

Default: 5,000 topics in 50 folders (one of them a 1 MB topic, id `huge-1mb`), about 50 MB of
Markdown with front matter, headings, lists, tables, fenced code, admonitions, footnotes, links
between topics (by path and by id, some to anchors) and references to 500 SVG diagrams in
`images/`. `--huge-10mb` adds a 10 MB topic (`huge-10mb`) to the first folder.

A `.generated` stamp records the arguments; `ensure()` regenerates only when they differ.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

VERSION = 5  # bump when the output changes, so stale libraries are rebuilt
STAMP = ".generated"

WORDS = """
account action address agent alarm alias allocation analytics api application archive artifact
attribute audit autoscaling availability backup balancer bandwidth batch billing binary block
bootstrap boundary bucket budget build burst bus cache capacity certificate change channel
checkpoint cidr client cluster cold compute concurrency configuration connection console
consumer container control cost credential cron daemon dashboard data database deadline
deployment desired detail device digest disk distribution dns docker domain driver durable
edge elastic encryption endpoint engine environment ephemeral error event eviction execution
export failover fargate feature filter firewall fleet flow function gateway graph group
handler health host identity idle image index ingress instance integration interface invocation
isolation job kernel key lambda latency layer lifecycle limit listener load lock log manifest
memory message metric migration mirror monitor mount namespace network node notification object
operator orchestration origin output package pagination partition patch payload peering
permission pipeline placement platform policy pool port principal priority private process
protocol provision proxy publish quota queue rate record region registry release replica
repository request reservation resource response retention retry revision role rollback route
runtime sandbox scaling schedule schema secret security segment serverless service session
shard sidecar signal snapshot socket source spot stack stage state storage stream subnet
subscription table tag target task template tenant thread throttle throughput timeout token
topic trace traffic transaction trigger tunnel upload usage user version virtual volume warm
webhook worker workflow workload zone
""".split()
SECTIONS = [
    "Overview",
    "How it works",
    "Configuration",
    "Limits and quotas",
    "Pricing",
    "Security",
    "Monitoring",
    "Troubleshooting",
    "Best practices",
    "Related services",
    "Examples",
    "Migration",
]
LANGS = {
    "python": (
        'import boto3\n\nclient = boto3.client("{w0}")\nresponse = '
        'client.describe_{w1}s(MaxResults={n})\nfor item in response["{W1}s"]:\n    '
        'print(item["{W2}Id"], item.get("State"))\n'
    ),
    "yaml": (
        "Resources:\n  {W0}{W1}:\n    Type: AWS::{W0}::{W1}\n    Properties:\n      {W2}Name: "
        "{w2}-{n}\n      DesiredCount: {n}\n"
    ),
    "bash": (
        "aws {w0} create-{w1} --name {w2}-{n} \\\n    --region eu-west-1 --tags "
        "Key=team,Value={w0}\n"
    ),
}
ADMONITIONS = ["note", "tip", "warning", "danger"]


def slug(text: str) -> str:
    return "-".join(text.lower().split())


class Generator:
    def __init__(self, root: Path, topics: int, folders: int, seed: int, huge_10mb: bool):
        self.root = root
        self.rng = random.Random(seed)
        self.n_topics = topics
        self.n_folders = folders
        self.huge_10mb = huge_10mb
        self.n_images = max(1, topics // 10)
        # Plan every topic first, so links can point at any of them.
        per_folder = -(-topics // folders)
        self.plan: list[tuple[str, str, str]] = []  # (folder, id, title)
        for i in range(topics):
            folder = f"area-{i // per_folder:02d}"
            if i == 0:
                self.plan.append((folder, "huge-1mb", "Huge topic (1 MB)"))
                continue
            title = " ".join(w.capitalize() for w in self.rng.sample(WORDS, 3)) + f" {i:04d}"
            self.plan.append((folder, f"t{i:04d}-{slug(title)}"[:60].rstrip("-"), title))

    # -- text ------------------------------------------------------------------------------
    def words(self, n: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=n))

    def sentence(self) -> str:
        text = self.words(self.rng.randint(8, 18))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, index: int, sentences: int | None = None) -> str:
        parts = [self.sentence() for _ in range(sentences or self.rng.randint(3, 6))]
        j = self.rng.randrange(len(parts))
        parts[j] = (
            parts[j][:-1]
            + f" with **{self.rng.choice(WORDS)}** and `{self.rng.choice(WORDS)}_{index}`."
        )
        return " ".join(parts)

    def link(self, here: str) -> str:
        folder, topic_id, title = self.plan[self.rng.randrange(1, len(self.plan))]
        kind = self.rng.random()
        if kind < 0.4:
            target = f"../{folder}/{topic_id}.md"
        elif kind < 0.8:
            target = topic_id
        else:
            target = f"{topic_id}#{slug(self.rng.choice(SECTIONS[:4]))}"
        return f"[{title}]({target})"

    def code(self) -> str:
        lang = self.rng.choice(list(LANGS))
        w = self.rng.sample(WORDS, 3)
        body = LANGS[lang].format(
            w0=w[0],
            w1=w[1],
            w2=w[2],
            W0=w[0].capitalize(),
            W1=w[1].capitalize(),
            W2=w[2].capitalize(),
            n=self.rng.randint(1, 50),
        )
        return f"```{lang}\n{body}```"

    def table(self) -> str:
        cols = self.rng.sample(WORDS, 4)
        rows = ["| " + " | ".join(c.capitalize() for c in cols) + " |", "|" + " --- |" * 4]
        for _ in range(self.rng.randint(3, 7)):
            rows.append("| " + " | ".join(self.words(self.rng.randint(1, 3)) for _ in cols) + " |")
        return "\n".join(rows)

    def section(self, name: str, folder: str, here: str, index: int) -> list[str]:
        out = [f"## {name}", self.paragraph(index)]
        roll = self.rng.random()
        if roll < 0.25:
            out.append("\n".join(f"- {self.sentence()}" for _ in range(self.rng.randint(3, 6))))
        elif roll < 0.45:
            out.append(self.table())
        elif roll < 0.65:
            out.append(self.code())
        elif roll < 0.75:
            kind = self.rng.choice(ADMONITIONS)
            out.append(
                f'!!! {kind} "{self.rng.choice(WORDS).capitalize()}"\n    {self.sentence()} '
                f"{self.sentence()}"
            )
        out.append(self.paragraph(index) + " See " + self.link(here) + ".")
        if self.rng.random() < 0.3:
            out.append(self.paragraph(index))
        return out

    def topic_text(
        self, number: int, folder: str, topic_id: str, title: str, min_bytes: int = 0
    ) -> str:
        front = "\n".join(
            [
                "---",
                f"id: {topic_id}",
                f"title: {title}",
                f"aliases: {self.rng.choice(WORDS)} {self.rng.choice(WORDS)}, "
                f"{self.rng.choice(WORDS)}",
                f"summary: {self.sentence()}",
                # A huge topic is never the first one shown.
                f"order: {100_000 if min_bytes else number}",
                "---",
            ]
        )
        head = [front + "\n\n" + f"# {title}", self.paragraph(number, 3) + "[^1]"]
        image = self.rng.randrange(self.n_images)
        head.append(
            f'![Diagram {image}: {self.words(4)}](../images/diagram-{image:03d}.svg "Diagram '
            f'{image}")'
        )
        blocks: list[str] = []
        size = 0
        sections = list(SECTIONS)
        rounds = 0
        while True:
            names = sections if min_bytes else self.rng.sample(sections, self.rng.randint(5, 7))
            for name in names:
                heading = name if rounds == 0 else f"{name} ({rounds + 1})"
                for block in self.section(heading, folder, topic_id, number):
                    blocks.append(block)
                    size += len(block) + 2
            rounds += 1
            if size >= min_bytes:
                break
        tail = [
            "Related: " + ", ".join(self.link(topic_id) for _ in range(3)) + ".",
            f"[^1]: {self.sentence()}",
        ]
        return "\n\n".join(head + blocks + tail) + "\n"

    def svg(self, index: int) -> str:
        rng = random.Random(index)
        width, height = 640, 260
        boxes = []
        for b in range(rng.randint(3, 6)):
            x, y = 20 + b * 100, rng.randint(20, 160)
            boxes.append(
                f'<rect x="{x}" y="{y}" width="90" height="60" rx="6" fill="#e6f1fc" '
                'stroke="#0550ae"/>'
                f'<text x="{x + 8}" y="{y + 35}" font-size="13" '
                f'font-family="sans-serif">{rng.choice(WORDS)}</text>'
            )
            if b:
                boxes.append(
                    f'<line x1="{x - 10}" y1="{y + 30}" x2="{x}" y2="{y + 30}" stroke="#333"/>'
                )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">'
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
            + "".join(boxes)
            + "</svg>\n"
        )

    # -- files -----------------------------------------------------------------------------
    def write(self) -> None:
        root = self.root
        folders = sorted({f for f, _, _ in self.plan})
        toml = ['title = "Generated Library"', 'images = "images"', ""]
        for folder in folders:
            toml += ["[[category]]", f'folder = "{folder}"', f'title = "Area {folder[-2:]}"', ""]
        (root / "library.toml").write_text("\n".join(toml), encoding="utf-8")
        images = root / "images"
        images.mkdir(parents=True, exist_ok=True)
        for i in range(self.n_images):
            (images / f"diagram-{i:03d}.svg").write_text(self.svg(i), encoding="utf-8")
        for folder in folders:
            (root / folder).mkdir(exist_ok=True)
        for number, (folder, topic_id, title) in enumerate(self.plan):
            min_bytes = 980_000 if topic_id == "huge-1mb" else 0  # just under the 1 MB page limit
            text = self.topic_text(number, folder, topic_id, title, min_bytes)
            (root / folder / f"{topic_id}.md").write_text(text, encoding="utf-8")
        if self.huge_10mb:
            text = self.topic_text(0, folders[0], "huge-10mb", "Huge topic (10 MB)", 10_000_000)
            (root / folders[0] / "huge-10mb.md").write_text(text, encoding="utf-8")


def stamp_for(topics: int, folders: int, seed: int, huge_10mb: bool) -> str:
    return json.dumps(
        {
            "version": VERSION,
            "topics": topics,
            "folders": folders,
            "seed": seed,
            "huge_10mb": huge_10mb,
        }
    )


def ensure(
    root: Path, topics: int = 5000, folders: int = 50, seed: int = 8, huge_10mb: bool = False
) -> bool:
    """Generate the library at `root` unless it is already there; True if it was (re)generated."""
    root = Path(root)
    stamp = stamp_for(topics, folders, seed, huge_10mb)
    marker = root / STAMP
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return False
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    Generator(root, topics, folders, seed, huge_10mb).write()
    marker.write_text(stamp, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out", type=Path, help="folder to write the library into (replaced if it exists)"
    )
    parser.add_argument("--topics", type=int, default=5000)
    parser.add_argument("--folders", type=int, default=50)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--huge-10mb", action="store_true", help="also write a 10 MB topic")
    args = parser.parse_args(argv)
    made = ensure(args.out, args.topics, args.folders, args.seed, args.huge_10mb)
    size = sum(p.stat().st_size for p in args.out.rglob("*.md"))
    count = sum(1 for _ in args.out.rglob("*.md"))
    print(
        f"{'generated' if made else 'up to date'}: {args.out} ({count} topics, {size / 1e6:.1f} "
        "MB of Markdown)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
