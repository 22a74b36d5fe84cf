"""Compiled templates kept in memory across environments (`qadocs.plugin.compiled`), with real Jinja."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import DictLoader, Environment, pass_context

from qadocs.plugin.adapter import QadocsPlugin
from qadocs.plugin.compiled import COMPILED, CompiledTemplates

TEMPLATES = {
    "page.html": "{% extends 'base.html' %}{% block body %}{{ text | shout }}{% endblock %}",
    "base.html": "<p>{% block body %}{% endblock %}</p>",
}


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    names: list[str] = []
    real = Environment.compile

    def spy(self: Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        names.append(str(name))
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", spy)
    return names


def _env(memory: CompiledTemplates, templates: dict[str, str], **settings: Any) -> Environment:
    env = Environment(loader=DictLoader(templates), **settings)
    env.filters["shout"] = lambda text: f"{text}!"
    env.bytecode_cache = memory
    return env


def test_a_new_environment_takes_what_an_earlier_one_compiled(compiled: list[str]) -> None:
    memory = CompiledTemplates()
    assert _env(memory, TEMPLATES).get_template("page.html").render(text="a<b") == "<p>a<b!</p>"
    assert sorted(compiled) == ["base.html", "page.html"]
    compiled.clear()
    assert _env(memory, TEMPLATES).get_template("page.html").render(text="c") == "<p>c!</p>"
    assert compiled == []


def test_an_edited_template_is_compiled_again(compiled: list[str]) -> None:
    memory = CompiledTemplates()
    _env(memory, TEMPLATES).get_template("page.html").render(text="a")
    compiled.clear()
    edited = {**TEMPLATES, "base.html": "<div>{% block body %}{% endblock %}</div>"}
    assert _env(memory, edited).get_template("page.html").render(text="a") == "<div>a!</div>"
    assert compiled == ["base.html"]


def test_an_environment_that_compiles_differently_compiles_its_own(compiled: list[str]) -> None:
    memory = CompiledTemplates()
    _env(memory, TEMPLATES).get_template("page.html").render(text="a")
    compiled.clear()
    # autoescape changes the code generated for `{{ … }}`
    assert _env(memory, TEMPLATES, autoescape=True).get_template("page.html").render(text="a<b") == "<p>a&lt;b!</p>"
    assert sorted(compiled) == ["base.html", "page.html"]
    compiled.clear()
    # a filter that takes the context is called with it: other code
    env = _env(memory, TEMPLATES)
    env.filters["shout"] = pass_context(lambda context, text: f"{text}{context['mark']}")
    assert env.get_template("page.html").render(text="a", mark="?") == "<p>a?</p>"
    assert "page.html" in compiled
    compiled.clear()
    # other delimiters read the same source as other templates
    odd = {"page.html": "<% if 1 %>[[ text ]]<% endif %>"}
    env = _env(memory, odd, block_start_string="<%", block_end_string="%>")
    env.variable_start_string, env.variable_end_string = "[[", "]]"
    assert env.get_template("page.html").render(text="a") == "a"
    assert compiled == ["page.html"]


def test_an_environment_with_a_finalize_function_is_not_served(compiled: list[str]) -> None:
    memory = CompiledTemplates()
    for _ in range(2):
        env = _env(memory, TEMPLATES, finalize=lambda value: "" if value is None else value)
        assert env.get_template("page.html").render(text=None) == "<p>None!</p>"
    assert sorted(compiled) == ["base.html", "base.html", "page.html", "page.html"]
    assert memory.kept == {}


def test_the_plugin_gives_every_environment_the_process_memory() -> None:
    env = Environment()
    QadocsPlugin().on_env(env, config=None, files=None)  # type: ignore[arg-type]
    assert env.bytecode_cache is COMPILED and "qadocs_page" in env.filters
    own = CompiledTemplates()
    other = Environment(bytecode_cache=own)
    QadocsPlugin().on_env(other, config=None, files=None)  # type: ignore[arg-type]
    assert other.bytecode_cache is own  # one the theme or another plugin set is left alone
