"""The search index on its own, no Qt: ranking, prefix, stemming, fuzzy names, odd queries,
cache."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, write_library

from viewer.library.folder import Library
from viewer.search.index import SearchIndex, index_path
from viewer.search.names import NameMatcher
from viewer.search.query import MARK_END, MARK_START, fts_query, plain_snippet, query_words
from viewer.search.text import markdown_text


def topic(topic_id: str, title: str, body: str, aliases: str = "", summary: str = "") -> str:
    head = f"---\nid: {topic_id}\ntitle: {title}\n"
    if aliases:
        head += f"aliases: {aliases}\n"
    if summary:
        head += f"summary: {summary}\n"
    return head + f"---\n\n# {title}\n\n{body}\n"


@pytest.fixture
def cloud_library(tmp_path) -> Path:
    """A small library shaped like the bundled one, with the words spread to test ranking."""
    return write_library(
        tmp_path / "cloud",
        {
            "containers/docker.md": topic(
                "docker-vs-vms",
                "Docker vs virtual machines",
                "A container shares the host kernel. Virtual machines run a guest operating "
                "system.",
                aliases="containers vs VMs, hypervisor",
            ),
            "containers/ecs.md": topic(
                "ecs",
                "Amazon ECS",
                "ECS runs containers as tasks. It can place tasks on Fargate or on EC2 instances. "
                "Fargate is mentioned here twice: Fargate.",
                aliases="Elastic Container Service, container orchestration",
            ),
            "containers/fargate.md": topic(
                "fargate",
                "AWS Fargate",
                "Run a container without managing servers; you pick CPU and memory per task.",
                aliases="serverless containers, Fargate Spot",
                summary="Serverless compute for containers.",
            ),
            "containers/ecr.md": topic(
                "ecr",
                "Amazon ECR",
                "Stores Docker images in private repositories; ECS pulls images from it.",
                aliases="Elastic Container Registry, container registry",
            ),
            "serverless/serverless.md": topic(
                "serverless",
                "Serverless",
                "Serverless means no servers to manage. Serverless containers run on Fargate; "
                "functions run on Lambda (FaaS). DynamoDB is a serverless database.",
                aliases="serverless computing, FaaS",
            ),
            "serverless/lambda.md": topic(
                "lambda",
                "AWS Lambda",
                "Functions that run in response to events. Cold starts happen on new environments.",
                aliases="FaaS, Function as a Service",
            ),
            "serverless/dynamodb.md": topic(
                "dynamodb",
                "Amazon DynamoDB",
                "A key-value and document database. Lambda functions often write to DynamoDB.",
                aliases="DDB, NoSQL database",
            ),
            "serverless/s3.md": topic(
                "s3", "Amazon S3", "Object storage in buckets.", aliases="object storage, bucket"
            ),
        },
    )


def indexed(tmp_path, files: dict[str, str]) -> SearchIndex:
    """An in-memory index, brought up to date, of a library made of `files`."""
    idx = SearchIndex(Library(write_library(tmp_path / "lib", files)), in_memory=True)
    idx.update()
    return idx


@pytest.fixture
def index(cloud_library, tmp_path):
    idx = SearchIndex(Library(cloud_library), tmp_path / "cache" / "index.sqlite3")
    idx.update()
    yield idx
    idx.close()


def ids(results) -> list[str]:
    return [r.topic_id for r in results]


# -- ranking ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query, expected",
    [
        ("fargate", "fargate"),
        ("serverless containers", "fargate"),
        ("container registry", "ecr"),
        ("FaaS", "lambda"),
        ("dynamodb", "dynamodb"),
        ("farg", "fargate"),
        ("lam", "lambda"),
        ("fg", "fargate"),
        ("ecr", "ecr"),
        ("ECS", "ecs"),
        ("s3", "s3"),
    ],
)
def test_the_obvious_topic_comes_first(index, query, expected):
    assert ids(index.search(query))[0] == expected


def test_title_match_ranks_above_body_match(tmp_path):
    idx = indexed(
        tmp_path,
        {
            "a.md": "# Kubernetes\n\nAn orchestrator.\n",
            "b.md": "# Other things\n\nKubernetes, kubernetes and kubernetes again: Kubernetes.\n",
        },
    )
    assert ids(idx.full_text("kubernetes")) == ["a", "b"]
    assert ids(idx.search("kubernetes")) == ["a", "b"]


def test_alias_match_ranks_above_body_match(tmp_path):
    idx = indexed(
        tmp_path,
        {
            "a.md": "# Alpha\n\nThe word widget appears here, widget, widget.\n",
            "b.md": "---\naliases: widget\n---\n# Beta\n\nNothing else.\n",
        },
    )
    assert ids(idx.full_text("widget"))[0] == "b"


def test_a_word_in_a_heading_ranks_above_both_words_only_in_the_text(tmp_path):
    idx = indexed(
        tmp_path,
        {
            "a.md": "# Alpha\n\n## Kubernetes notes\n\n"
            + "Scheduling, nodes and the control plane. " * 20
            + "Pods run there.\n",
            "b.md": "# Beta\n\n" + "Kubernetes pods, kubernetes pods. " * 5 + "\n",
        },
    )
    hits = idx.full_text("kubernetes pods")
    assert [(r.topic_id, r.section) for r in hits] == [("a", "Kubernetes notes"), ("b", "")]


def test_name_matches_come_before_full_text_hits_and_are_not_repeated(index):
    results = index.search("fargate")
    assert results[0].kind == "name"
    assert [r.kind for r in results] == sorted((r.kind for r in results), key=lambda k: k != "name")
    assert len(ids(results)) == len(set(ids(results)))
    assert "ecs" in ids(results) and "serverless" in ids(results)  # mention Fargate in their text


def test_prefix_matches_the_last_word_as_you_type(index):
    assert "ecs" in ids(index.full_text("farg"))  # ECS only mentions Fargate in its body
    assert "lambda" in ids(index.full_text("cold sta"))


def test_stemming_finds_other_forms(tmp_path):
    idx = indexed(
        tmp_path,
        {
            "one.md": "# One\n\nA container runs here.\n",
            "two.md": "# Two\n\nMany containers running.\n",
        },
    )
    assert sorted(ids(idx.full_text("containers"))) == ["one", "two"]
    assert sorted(ids(idx.full_text("running"))) == ["one", "two"]  # "runs" and "running"
    assert sorted(ids(idx.full_text("runs container"))) == ["one", "two"]


def test_text_hits_have_a_marked_snippet_and_the_words_to_find(index):
    hit = next(r for r in index.full_text("cold starts") if r.topic_id == "lambda")
    assert MARK_START in hit.snippet and MARK_END in hit.snippet
    assert "cold" in hit.terms
    assert "\t" not in plain_snippet(hit.snippet) and MARK_START not in plain_snippet(hit.snippet)


def test_alias_name_match_shows_the_alias(index):
    first = index.search("serverless containers")[0]
    assert first.kind == "name" and f"{MARK_START}serverless containers{MARK_END}" in first.snippet


# -- quick open --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query, expected",
    [
        ("fg", "fargate"),  # letters in order
        ("ecr", "ecr"),  # a word of the title, and initials of an alias
        ("ecs", "ecs"),  # the id
        ("lam", "lambda"),  # start of a word
        ("ddb", "dynamodb"),  # an alias
        ("aws far", "fargate"),  # start of words, in order
        ("elastic container reg", "ecr"),
    ],
)
def test_quick_open_fuzzy(cloud_library, query, expected):
    matcher = NameMatcher(Library(cloud_library).topics)
    assert matcher.match(query)[0][0].id == expected


def test_quick_open_tiers_prefix_before_initials_before_subsequence(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {
            "a.md": "# Fancy Gadget\n",  # initials f g
            "b.md": "# Fgrep\n",  # starts with fg
            "c.md": "# Fargate\n",  # f…g in order
        },
    )
    matcher = NameMatcher(Library(root).topics)
    assert [t.id for t, _name in matcher.match("fg")] == ["b", "a", "c"]


def test_quick_open_works_before_the_index_is_built(cloud_library, tmp_path):
    idx = SearchIndex(Library(cloud_library), tmp_path / "index.sqlite3")
    assert not idx.ready
    assert ids(idx.search("farg")) == ["fargate"]
    idx.close()


# -- odd queries -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR",
        "-",
        "(",
        ")",
        "a AND",
        "OR",
        "NOT x",
        '"unbalanced',
        "col:umn",
        "^",
        "fargate*",
        "NEAR(a b)",
        "",
        "   ",
        "\x00",
        "ü",
        "😀",
    ],
)
def test_odd_queries_never_raise(index, query):
    index.search(query)
    index.full_text(query)


def test_operators_are_plain_words():
    assert fts_query(query_words('a AND "b" OR NEAR(c*) -d')) == '"a" "and" "b" "or" "near" "c" "d"'
    assert fts_query(["contain"]) == '"contain"*'
    assert fts_query(["s"]) == '"s"'  # too short to be a prefix
    assert fts_query([]) == ""


def test_markdown_is_stripped_for_the_index():
    text = markdown_text(
        "## Heading\n\nSome **bold**, `code` and a [link](https://example.com/x).\n\n"
        '![Alt text](images/a.svg "t")\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! note "Careful"\n '
        "   Body.\n"
    )
    assert "Heading Some bold, code and a link." in text
    assert "Alt text" in text and "Careful" in text
    assert (
        "example.com" not in text
        and "images/a.svg" not in text
        and "---" not in text
        and "**" not in text
    )


# -- the cache ---------------------------------------------------------------------------------
def test_cache_reindexes_only_changed_files_and_forgets_removed_ones(cloud_library, tmp_path):
    cache = tmp_path / "cache.sqlite3"
    first = SearchIndex(Library(cloud_library), cache)
    assert first.update().indexed == 8
    first.close()

    lambda_md = cloud_library / "serverless/lambda.md"
    lambda_md.write_text(topic("lambda", "AWS Lambda", "Now about quokkas."), encoding="utf-8")
    os.utime(
        lambda_md, ns=(lambda_md.stat().st_atime_ns, lambda_md.stat().st_mtime_ns + 1_000_000_000)
    )
    (cloud_library / "serverless/s3.md").unlink()

    second = SearchIndex(Library(cloud_library), cache)
    stats = second.update()
    assert (stats.indexed, stats.removed, stats.unchanged) == (1, 1, 6)
    assert ids(second.full_text("quokkas")) == ["lambda"]
    assert "lambda" not in ids(second.full_text("cold"))
    assert ids(second.full_text("buckets")) == []
    second.close()


def test_corrupt_cache_file_is_rebuilt(cloud_library, tmp_path):
    cache = tmp_path / "cache.sqlite3"
    cache.write_bytes(b"this is not a database" * 100)
    idx = SearchIndex(Library(cloud_library), cache)
    assert idx.update().indexed == 8
    assert not idx.in_memory
    assert ids(idx.full_text("kernel")) == ["docker-vs-vms"]
    idx.close()
    with sqlite3.connect(cache) as check:
        assert check.execute("SELECT count(*) FROM files").fetchone()[0] == 8


def test_unwritable_cache_folder_falls_back_to_memory(cloud_library, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    idx = SearchIndex(Library(cloud_library), blocker / "sub" / "index.sqlite3")
    idx.update()
    assert idx.in_memory
    assert ids(idx.full_text("kernel")) == ["docker-vs-vms"]
    idx.close()


def test_default_cache_file_is_in_the_users_cache_folder(cloud_library, isolated_settings):
    path = index_path(Library(cloud_library))
    assert path.parent == Path(os.environ["XDG_CACHE_HOME"]) / "cloudref"
    assert path != index_path(Library(CONTENT))


def test_update_can_be_stopped_and_resumed(cloud_library, tmp_path):
    import threading

    stop = threading.Event()
    stop.set()
    idx = SearchIndex(Library(cloud_library), tmp_path / "index.sqlite3")
    assert idx.update(stop).indexed == 0
    assert idx.update().indexed == 8


# -- the command line --------------------------------------------------------------------------
def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )


def test_cli_search_prints_ranked_tab_separated_results(cloud_library):
    done = run_cli("--content", str(cloud_library), "--search", "serverless containers")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["fargate", "AWS Fargate"]
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert MARK_START not in done.stdout


def test_cli_search_without_results_exits_1(cloud_library):
    done = run_cli("--content", str(cloud_library), "--search", "xylophone")
    assert done.returncode == 1 and done.stdout == ""


@pytest.mark.parametrize("query", ['"', "NEAR", "-", "(", "a AND"])
def test_cli_odd_queries_do_not_crash(cloud_library, query):
    done = run_cli("--content", str(cloud_library), "--search", query)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "query, expected",
    [
        ("fargate", "fargate"),
        ("serverless containers", "fargate"),
        ("container registry", "ecr"),
        ("FaaS", "lambda"),
        ("dynamodb", "dynamodb"),
    ],
)
def test_cli_search_on_the_bundled_library(query, expected):
    done = run_cli("--search", query)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split("\t")[0] == expected
