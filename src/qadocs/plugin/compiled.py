"""Compiled theme templates kept in memory for the life of the process.

MkDocs makes a new Jinja environment for every build, and qadocs' page workers another, so every
build compiles Material's templates again (about 30 of them for a page, 0.3 s each time on a
real-size collection). Under `mkdocs serve` that is paid on every rebuild. Jinja's public
`BytecodeCache` hook lets an environment take code compiled earlier; this one holds code objects
in memory only. Nothing is written to disk or read from it: a compiled template is code, and the
repository's files (caches included) are data a pull request can write.

A compiled template depends on the source and on how the environment compiles it, not only on the
template's name: the key covers the source's checksum and every setting of the environment the
compiler reads (delimiters, whitespace options, extensions, autoescape as it applies to this
template, and whether each filter and test takes the context, which changes the code generated
for it). An environment with a `finalize` function is not served from memory at all."""

from __future__ import annotations

from collections.abc import Mapping
from types import CodeType
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from jinja2.utils import _PassArg

KEPT_MAX = 512  # templates held; beyond it the memory starts afresh (a theme has a few dozen)


def _passing(table: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Each filter's or test's name and what it is passed (context, environment, nothing)."""
    return tuple(sorted((name, str(_PassArg.from_obj(func))) for name, func in table.items()))


def compile_settings(env: Any, name: str) -> tuple[Any, ...] | None:
    """What `env`'s compiler reads when it compiles the template `name` (None: an environment
    this memory does not serve)."""
    if env.finalize is not None:
        return None
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    lexing = tuple(
        getattr(env, attr)
        for attr in (
            "block_start_string",
            "block_end_string",
            "variable_start_string",
            "variable_end_string",
            "comment_start_string",
            "comment_end_string",
            "line_statement_prefix",
            "line_comment_prefix",
            "trim_blocks",
            "lstrip_blocks",
            "newline_sequence",
            "keep_trailing_newline",
            "optimized",
            "is_async",
        )
    )
    compiler_policies = tuple(sorted((k, repr(v)) for k, v in env.policies.items() if k.startswith("compiler.")))
    return (
        type(env).__module__,
        type(env).__qualname__,
        env.code_generator_class.__qualname__,
        lexing,
        bool(autoescape),
        tuple(sorted(env.extensions)),
        compiler_policies,
        _passing(env.filters),
        _passing(env.tests),
    )


class CompiledTemplates(BytecodeCache):
    """Code compiled by any environment of this process, given to another that would compile
    the same source the same way (`compile_settings`)."""

    def __init__(self) -> None:
        self.kept: dict[str, CodeType] = {}

    def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Bucket:
        """A bucket holding the code compiled earlier for this source and these settings, if any."""
        settings = compile_settings(environment, name)
        key = "" if settings is None else repr((name, filename, self.get_source_checksum(source), settings))
        bucket = Bucket(environment, key, "")
        if key:
            bucket.code = self.kept.get(key)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Unused: `get_bucket` looks in memory itself."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code Jinja has just compiled."""
        if not bucket.key or bucket.code is None:
            return
        if len(self.kept) >= KEPT_MAX:
            self.kept.clear()
        self.kept[bucket.key] = bucket.code


COMPILED = CompiledTemplates()  # the process's memory (`QadocsPlugin.on_env` hands it to every environment)
