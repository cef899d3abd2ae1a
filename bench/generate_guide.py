"""Generate a vendor-style developer guide for the benchmark, the same bytes every time.

    python bench/generate_guide.py OUT_DIR [--pages 400] [--seed 19]

Shaped like the guides issue 19 was found on: no `library.toml`, an `index.md` whose body is
the guide's contents as a nested list of links (`+ [Title](page.md)`, three levels), pages in
a few folders, headings with HTML anchors (`## Title<a name="id"></a>`), titles with inline
code and escapes, lists written right after a paragraph, tables, fenced code, callouts, links
between pages (some to the built site's `page.html`, some to anchors) and a few mdBook-style
includes of shared snippets.

A `.generated` stamp records the arguments; `ensure()` regenerates only when they differ.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

VERSION = 1  # bump when the output changes, so stale guides are rebuilt
STAMP = ".generated"
FOLDERS = ("getting-started", "concepts", "tasks", "reference", "security", "troubleshooting")
NOUNS = (
    "cluster service task container instance capacity provider load balancer volume secret"
    " role policy endpoint log metric alarm deployment image registry repository network"
    " subnet gateway queue topic function layer bucket table stream key certificate"
).split()
VERBS = "Creating Updating Deleting Monitoring Scaling Securing Tagging Viewing Managing".split()


def stamp_for(pages: int, seed: int) -> str:
    return f"guide v{VERSION} pages={pages} seed={seed}\n"


class Guide:
    def __init__(self, root: Path, pages: int, seed: int):
        self.root = root
        self.rand = random.Random(seed)
        self.pages: list[tuple[str, str, str]] = []  # (path, title, anchor)
        for n in range(pages - 1):  # the index is a page too
            folder = FOLDERS[n * len(FOLDERS) // (pages - 1)]
            noun = " ".join(self.rand.sample(NOUNS, 2))
            verb = self.rand.choice(VERBS)
            slug = f"{verb.lower()}-{noun.replace(' ', '-')}-{n:03d}"
            title = f"{verb} {noun}s"
            if n % 23 == 0:
                title += " with the `cloud` CLI"
            elif n % 29 == 0:
                title = f"\\.NET SDK: {title.lower()}"
            self.pages.append((f"{folder}/{slug}.md", title, slug))

    def write(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "snippets").mkdir()
        (self.root / "snippets" / "cli-setup.txt").write_text(
            "$ cloud configure --profile guide\n$ cloud whoami\n", encoding="utf-8"
        )
        self._write_index()
        for n, (path, title, anchor) in enumerate(self.pages):
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self._page(n, path, title, anchor), encoding="utf-8")

    def _write_index(self) -> None:
        lines = ["# Widget Service Developer Guide", ""]
        # Each folder's pages as: a section page, sub-pages under it, sub-sub-pages under some.
        by_folder: dict[str, list[int]] = {}
        for n, (path, _t, _a) in enumerate(self.pages):
            by_folder.setdefault(path.split("/")[0], []).append(n)
        for numbers in by_folder.values():
            depth = 0
            for i, n in enumerate(numbers):
                path, title, _anchor = self.pages[n]
                if i == 0:
                    depth = 0
                elif i % 9 == 1:
                    depth = 1
                elif i % 3 == 0 and depth >= 1:
                    depth = 2
                else:
                    depth = min(depth, 1) or 1
                lines.append(f"{'  ' * depth}+ [{title}]({path})")
        (self.root / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _page(self, n: int, path: str, title: str, anchor: str) -> str:
        rand = self.rand
        folder = path.split("/")[0]
        out = [f'# {title}<a name="{anchor}"></a>', ""]
        for section in range(rand.randint(3, 6)):
            noun = rand.choice(NOUNS)
            out += [f'## About the {noun} {section}<a name="{anchor}-{section}"></a>', ""]
            out.append(
                f"A {noun} is configured per account. Set it up before you start the"
                f" {rand.choice(NOUNS)}; the defaults suit most workloads."
            )
            out.append(f"The {noun} settings are:")
            out += [
                f"+ {rand.choice(NOUNS).capitalize()} limits" for _ in range(rand.randint(2, 5))
            ]
            out.append("")
            other = self.pages[rand.randrange(len(self.pages))]
            rel = (
                Path(other[0]).relative_to(folder).as_posix()
                if other[0].startswith(folder)
                else f"../{other[0]}"
            )
            if section % 2:
                rel = rel[:-3] + ".html"  # written to the built site's page
            out += [f"For more, see [{other[1]}]({rel}#{other[2]}-0).", ""]
            if section == 1:
                out += [
                    "| Setting | Default | Maximum |",
                    "| --- | --- | --- |",
                    *(
                        f"| {rand.choice(NOUNS)} | {rand.randint(1, 9)} | {rand.randint(10, 99)} |"
                        for _ in range(4)
                    ),
                    "",
                ]
            if section == 2:
                out += ["```bash", f"cloud {noun} describe --name example-{n}", "```", ""]
        if n % 10 == 0:
            out += ["```console", "{{#include ../snippets/cli-setup.txt}}", "```", ""]
        if n % 7 == 0:
            out += ["> [!note]", f"> Quotas for the {rand.choice(NOUNS)} apply per Region.", ""]
        return "\n".join(out)


def ensure(root: Path, pages: int = 400, seed: int = 19) -> bool:
    """Generate the guide at `root` unless it is already there; True if it was (re)generated."""
    root = Path(root)
    stamp = stamp_for(pages, seed)
    marker = root / STAMP
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return False
    if root.exists():
        shutil.rmtree(root)
    Guide(root, pages, seed).write()
    marker.write_text(stamp, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the guide into (replaced)")
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)
    ensure(args.out, args.pages, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
