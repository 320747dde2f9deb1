"""The ``cascade`` command: a thin layer over the library's :class:`cascade.api.Cascade`.

Every library error reaches the user as one ``错误：…`` line (``Error: …`` in English) and exit status 1;
``--debug`` shows the traceback instead. Output, help and errors are Chinese unless ``--lang en`` or
``CASCADE_LANG=en``; the words come from cascade/i18n. Machine output (JSON, CSV, exports) is unchanged.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import click

from cascade import i18n
from cascade.api import TRACE_PAGE, Cascade
from core.errors import CascadeError
from core.records import LEVELS
from graph.textsafe import terminal_text

STORE_OPTION = click.option("--store", default=".cascade", show_default=True, type=click.Path(file_okay=False),
                            help="Store folder (JSON + embedded Cypher database).")


def _lang() -> str:
    """``--lang`` of this run, else ``CASCADE_LANG``, else Chinese."""
    ctx = click.get_current_context(silent=True)
    chosen = ctx.find_root().meta.get("cascade.lang") if ctx else None
    return chosen or i18n.default_lang()


def tr(key: str, **params) -> str:
    return i18n.t(key, _lang(), **params)


class Failure(click.ClickException):
    """One line on standard error, with the word for "error" in the user's language (taken when the
    error is made: click shows it after the run's context is gone)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.lang = _lang()

    def show(self, file=None) -> None:
        click.echo(i18n.t("cli.error", self.lang, message=self.format_message()), err=True, file=file)


class UsageFailure(click.UsageError):
    """A mistake in the command line (an unknown command or option, a bad or missing value) as one line
    in the user's language, with where the help is; click's own text is English whatever --lang says."""

    def __init__(self, err: click.UsageError):
        super().__init__(err.message, err.ctx)
        root = err.ctx.find_root() if err.ctx else None
        self.lang = (root.meta.get("cascade.lang") if root else None) or _lang()
        self.text = _usage_text(err, self.lang)
        self.command = err.ctx.command_path if err.ctx else "cascade"

    def show(self, file=None) -> None:
        click.echo(i18n.t("cli.error", self.lang, message=i18n.t("cli.bad.help", self.lang, message=self.text,
                                                                  command=self.command)), err=True, file=file)


def _usage_text(err: click.UsageError, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    if isinstance(err, click.exceptions.NoSuchCommand):
        commands = sorted(err.ctx.command.list_commands(err.ctx)) if err.ctx else []
        return i18n.t("cli.bad.command", lang, name=err.command_name, commands=sep.join(commands))
    if isinstance(err, click.exceptions.NoSuchOption):
        text = i18n.t("cli.bad.option", lang, name=err.option_name)
        if err.possibilities:
            text += i18n.t("cli.bad.did_you_mean", lang, names=sep.join(sorted(err.possibilities)))
        return text
    hint = err.param_hint if getattr(err, "param_hint", None) else (
        err.param.get_error_hint(err.ctx) if getattr(err, "param", None) is not None else None)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    if isinstance(err, click.exceptions.MissingParameter):
        return i18n.t("cli.bad.missing", lang, name=hint or "")
    if isinstance(err, click.BadParameter):
        message = err.message
        for key, pattern in _CLICK_MESSAGES:
            m = pattern.fullmatch(message)
            if m:
                message = i18n.t(key, lang, **{k: (sep.join(x.strip() for x in v.split(",")) if k == "choices" else v)
                                              for k, v in m.groupdict().items()})
                break
        return i18n.t("cli.bad.value", lang, name=hint or "", message=message) if hint else message
    m = re.fullmatch(r"Got unexpected extra arguments? \((?P<args>.*)\)", err.message)
    if m:
        return i18n.t("cli.bad.extra", lang, args=m.group("args"))
    return err.message


# What click says of a value it refuses (its messages are English whatever the user reads)
_CLICK_MESSAGES = tuple((key, re.compile(pattern)) for key, pattern in (
    ("cli.bad.not_one_of", r"(?P<value>.*) is not one of (?P<choices>.*)\."),
    ("cli.bad.not_int", r"(?P<value>.*) is not a valid integer\."),
    ("cli.bad.range", r"(?P<value>.*) is not in the range (?P<range>.*)\."),
))


def _localize_help(cmd: click.Command, ctx: click.Context) -> None:
    """The command's and its options' help from the catalogue (``cli.help.<command>``,
    ``cli.opt.<command>.<option>``, ``cli.opt.<option>`` for shared ones); English stays as written."""
    name = "cli" if ctx.parent is None else cmd.name
    lang = _lang()
    if i18n.has(f"cli.help.{name}", lang):
        cmd.help = i18n.t(f"cli.help.{name}", lang)
    for p in cmd.get_params(ctx):
        option = "help" if p.name == "_click_default_help" else p.name    # click's own --help
        for key in (f"cli.opt.{name}.{option}", f"cli.opt.{option}"):
            if isinstance(p, click.Option) and i18n.has(key, lang):
                p.help = i18n.t(key, lang)
                break


class _Formatter(click.HelpFormatter):
    """Click's own headings (Usage, Options, Commands) in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix=tr("cli.usage") if prefix is None else prefix)

    def section(self, name: str):
        key = {"Options": "cli.options", "Commands": "cli.commands", "Arguments": "cli.arguments"}.get(name)
        return super().section(tr(key) if key else name)


class _Context(click.Context):
    formatter_class = _Formatter


class _Command(click.Command):
    context_class = _Context

    def format_help(self, ctx, formatter):
        _localize_help(self, ctx)
        super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        key = f"cli.help.{self.name}"
        return i18n.t(key, _lang()).split("\n")[0] if i18n.has(key, _lang()) else super().get_short_help_str(limit)


def _set_lang(ctx, _param, value):
    if value is not None:
        lang = i18n.normalize_lang(value)
        if lang is None:
            raise click.BadParameter(f"{value!r} is not one of 'zh', 'en'.")
        ctx.meta["cascade.lang"] = lang
    return value


class _Group(click.Group):
    """Turns every CascadeError (and an interrupted run) into one line, in the user's language."""

    command_class = _Command
    context_class = _Context

    def format_help(self, ctx, formatter):
        _localize_help(self, ctx)
        super().format_help(ctx, formatter)

    def make_context(self, info_name, args, parent=None, **extra):
        # the root's own options (`cascade --lang xx`, `cascade --nosuch`) are read before invoke
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as err:
            raise UsageFailure(err) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CascadeError as err:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise Failure(terminal_text(i18n.error_text(err, _lang()), newlines=False)) from None
        except KeyboardInterrupt:
            click.echo(tr("cli.interrupted"), err=True)
            sys.exit(130)
        except BrokenPipeError:
            # `cascade gaps … | head`: the reader has what it wanted; as other Unix tools, stop quietly
            # (stdout pointed at devnull, so the interpreter's own flush at exit does not fail again)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except click.UsageError as err:
            raise (err if isinstance(err, UsageFailure) else UsageFailure(err)) from None
        except click.exceptions.ClickException as err:
            if type(err) is click.ClickException:
                raise Failure(err.format_message()) from None
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as err:  # a bug of ours: still one line unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            if isinstance(err, OSError) and err.filename:
                raise Failure(terminal_text(f"{err.filename}: {err.strerror or err}", newlines=False)) from None
            first = str(err).splitlines()[0] if str(err) else ""
            raise Failure(terminal_text(tr("cli.internal", kind=type(err).__name__, first=first), newlines=False)) from None


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("--lang", callback=_set_lang, is_eager=True, expose_value=False, metavar="zh|en",
              help="Language of the output and the errors (default: CASCADE_LANG, else zh).")
@click.version_option(package_name="policy-cascade")
@click.pass_context
def cli(ctx, debug):
    """Trace how a government work plan cascades down the administrative ladder."""
    ctx.obj = {"debug": debug}


def _progress_bar():
    """A progress callback that draws a bar once a build has run for more than a second."""
    state = {"start": time.monotonic(), "bar": None}

    def update(done: int, total: int, name: str):
        if state["bar"] is None and time.monotonic() - state["start"] > 1.0 and done < total:
            state["bar"] = click.progressbar(length=total, label=tr("cli.loading"), file=sys.stderr, show_pos=True)
            state["bar"].__enter__()
            state["bar"].update(done)
        elif state["bar"] is not None:
            state["bar"].update(done - state["bar"].pos)
            if done >= total:
                state["bar"].__exit__(None, None, None)
                state["bar"] = None

    return update


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--manifest", type=click.Path(dir_okay=False), help="Manifest file (default: manifest.yaml in a folder given).")
@click.option("--reviews", type=click.Path(dir_okay=False),
              help="Link reviews (default: reviews.yaml beside the manifest, else in the first folder given).")
@STORE_OPTION
@click.option("--incremental", is_flag=True,
              help="Reuse the previous store for unchanged documents; re-link only changed ones and their neighbours.")
def build(paths, manifest, reviews, store, incremental):
    """Load documents, link the levels and save the store.

    Example: cascade build data/
    """
    result = Cascade(store).build(paths, manifest, reviews=reviews, incremental=incremental, progress=_progress_bar())
    if _EXIT_FAST:
        _KEPT.append(result)   # freed by the process's end, not object by object (see main)
    debug = (click.get_current_context().find_root().obj or {}).get("debug")
    for p in result.problems:
        # One line per file, even for a file name with a line break in it.
        line = tr("cli.skipped" if p.severity == "error" else "cli.warning", problem=i18n.problem_text(str(p), _lang()))
        click.echo(terminal_text(line, newlines=False), err=True)
        if debug and getattr(p, "detail", ""):
            click.echo(p.detail.rstrip(), err=True)
    counts, links = getattr(result, "counts", None), getattr(result, "links", None)
    if counts is None:   # an incremental build gives its counts: it never holds the whole graph
        G = result.graph
        counts = {}
        for _, d in G.nodes(data=True):
            counts[d["label"]] = counts.get(d["label"], 0) + 1
        links = sum(1 for _, _, d in G.edges(data=True) if d.get("type") == "DERIVED_FROM")
    click.echo(tr("cli.built", documents=counts.get("Document", 0), sections=counts.get("Section", 0),
                  tasks=counts.get("Task", 0), units=counts.get("Unit", 0), links=links, store=store))
    inc = result.incremental
    if inc:
        if inc.get("mode") == "incremental":
            click.echo(tr("cli.incremental", loaded=inc["loaded"], files=inc["files"],
                          changed=inc["changed_documents"], relinked=inc["relinked_edges"], copied=inc["copied_edges"]))
        else:
            click.echo(tr("cli.incremental_full", reason=inc.get("reason"), loaded=inc["loaded"], files=inc["files"]))
    if result.skipped:
        click.echo(tr("cli.files_skipped", n=len(result.skipped)), err=True)
        sys.exit(2)


@cli.command()
@click.option("--format", "fmt", default="json", show_default=True, help="json, graphml, ttl, csv (a zip of neo4j-admin import files) or cypher (a cypher-shell script).")
@click.option("--out", type=click.Path(), help="Write here instead of standard output.")
@STORE_OPTION
def export(fmt, out, store):
    """Write the graph in an exchange format.

    Example: cascade export --format json --out cascade.json
    """
    text = Cascade(store).export(fmt, out)
    if out is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=False)
    else:
        click.echo(tr("cli.wrote", out=out), err=True)   # as `cascade report` says; stdout stays the data's


@cli.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--param", "-p", multiple=True, help="Query parameter NAME=VALUE (JSON values allowed).")
@STORE_OPTION
def cypher(query, fmt, param, store):
    """Run a read-only Cypher query on the embedded store (or a saved query by its name).

    Example: cascade cypher 'MATCH (d:Document) RETURN d.level, count(*)'; cascade cypher workload
    """
    params = {}
    for p in param:
        name, _, value = p.partition("=")
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    from queries.cypher import saved_queries

    saved = saved_queries()
    if query.strip() in saved:   # a saved query by its name: `cascade cypher workload`, as the app's console offers
        query = saved[query.strip()]["query"]
    columns, rows = Cascade(store).cypher(query, params)
    if fmt == "json":
        click.echo(terminal_text(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, default=str,
                                            indent=1), json=True))
        return
    click.echo(_table(columns, rows))


def _table(columns, rows) -> str:
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    cells = [[_fmt(v) for v in r] for r in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(vals):
        return " | ".join(v + " " * (w - width(v)) for v, w in zip(vals, widths))

    out = [line(columns), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    out.append(tr("cli.rows" if len(rows) != 1 else "cli.row", n=len(rows)))
    return "\n".join(out)


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    s = terminal_text(str(v).replace("\n", " "), newlines=False)   # document text is data, not terminal codes
    return s if len(s) <= 80 else s[:79] + "…"


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True)
@click.option("--out", type=click.Path(), help="Write here instead of standard output.")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Page mode: at most this many gaps, streamed from the store's Cypher engine (or the Bolt "
                   "server CASCADE_BOLT_URI names) in the saved query's order, with their total.")
@click.option("--offset", type=click.IntRange(min=0), default=None, help="Page mode: skip this many gaps first.")
@click.option("--status", type=click.Choice(["gap", "not_assessable", "local"]), default="gap", show_default=True,
              help="Page mode: the gaps, the requirements that cannot be judged (a lower document truncated, "
                   "a cover notice or interpretation only, a plan in between missing), or the local additions "
                   "(tasks of an implementing plan that derive from nothing above).")
@STORE_OPTION
def gaps(fmt, out, store, limit, offset, status):
    """Coverage gaps, not-applicable items and local additions.

    With --limit/--offset, only the gaps, one page at a time, from the store's Cypher engine, or from the
    Bolt server CASCADE_BOLT_URI names (login from CASCADE_BOLT_USER / CASCADE_BOLT_PASSWORD).

    Example: cascade gaps --format csv --out gaps.csv; cascade gaps --limit 50 --offset 100 --format json;
    cascade gaps --limit 50 --status not_assessable; cascade gaps --limit 50 --status local
    """
    from core.files import write_atomic

    cascade = Cascade(store)
    if limit is not None or offset is not None:
        import io

        if out:
            buf = io.StringIO()
        else:   # each write is whole rows; document text is data, not terminal codes
            buf = type("TerminalOut", (), {"write": staticmethod(
                lambda t: sys.stdout.write(terminal_text(t, json=fmt == "json")))})()
        cascade.gaps_page(buf, fmt, offset or 0, limit, status=status, words=_PageWords(_lang()) if fmt == "md" else None)
        if out:
            write_atomic(out, buf.getvalue())
        return
    text = cascade.gaps_text(fmt, _lang())   # Markdown in the person's words; JSON/CSV keep their keys
    if out:
        write_atomic(out, text)
    else:
        click.echo(terminal_text(text, json=fmt == "json"), nl=False)


class _PageWords:
    """A Markdown page of gaps in the person's words (CSV and JSON keep the machine keys): its head line,
    its columns (``col.*``) and the machine keys in its cells (statuses, levels, why a row waits)."""

    _TERMS = {"status": "status", "upper_level": "level", "lower_level": "level", "why": "unjudged"}

    def __init__(self, lang: str):
        self.lang = lang

    def head(self, name: str, first: int, last: int, total: int) -> str:
        return i18n.t("cli.page_head" if last >= first else "cli.page_none", self.lang,
                      what=i18n.t(f"cli.page.{name}", self.lang), first=first, last=last, total=total)

    def column(self, name: str) -> str:
        return i18n.t(f"col.{name}", self.lang) if i18n.has(f"col.{name}", self.lang) else name

    def cell(self, column: str, value):
        group = self._TERMS.get(column)
        return i18n.term(group, value, self.lang) if group and isinstance(value, str) else value


@cli.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="report.html, report.xlsx or report.pdf")
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx", "pdf"]), default=None,
              help="Default: from the file name.")
@click.option("--marks", type=click.Path(dir_okay=False),
              help="Worklist marks to include (default: marks.yaml in CASCADE_DATA, else data/, when there).")
@click.option("--region", default=None, help="Only the documents of this region and below (广东省 holds 广东省广州市).")
@click.option("--level", "levels", multiple=True, type=click.Choice(list(LEVELS)),
              help="Only the documents of this level (repeat for more).")
@click.option("--year", "years", multiple=True, type=int, help="Only the documents of this year (repeat for more).")
@STORE_OPTION
def report(out, fmt, marks, region, levels, years, store):
    """The coverage-gap report a 政务公开办 hands upward (HTML with charts, XLSX 台账, or PDF).

    Example: cascade report --out report.html
    """
    import os

    from graph.marks import MARKS_NAME, read_marks

    if fmt is None:
        from cascade.report import format_of

        fmt = format_of(out)
        if fmt is None:    # never HTML under a name that promises something else
            click.echo(terminal_text(tr("cli.error", message=tr("cli.report_ext", out=out)), newlines=False), err=True)
            sys.exit(2)
    if marks is None:
        default = Path(os.environ.get("CASCADE_DATA", "data")) / MARKS_NAME
        marks = default if default.is_file() else None
    Cascade(store).report(out, fmt, lang=_lang(), marks=read_marks(marks), region=region, levels=levels, years=years)
    click.echo(tr("cli.wrote", out=terminal_text(out, newlines=False)))


@cli.command()
@click.argument("what")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=TRACE_PAGE, show_default=True,
              help="When the answer comes from the store's queries (a Bolt server, or a store above "
                   "CASCADE_GRAPH_TASKS tasks): at most this many lower tasks (by default the app's page, "
                   "whose first one a build keeps for the top plans' requirements).")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="With --limit: skip this many lower tasks first.")
@STORE_OPTION
def trace(what, fmt, limit, offset, store):
    """One requirement up to where it comes from and down every level (a task id or words of its text).

    Example: cascade trace 2022-guangzhou/一/(一)/2
    """
    cascade = Cascade(store)
    # a document's id, not a requirement's: its requirements to pick from, not a guess. A requirement's id
    # holds a / (its document's id, then its numbers), and its trace may be kept: no store opened for it
    requirements = None if "/" in what else cascade.document_requirements(what)
    if requirements:
        _pick_requirement(cascade, what, requirements, fmt)
        return
    found = cascade.trace(what, offset, limit)
    if "source" in found:
        below = cascade.store_requirement_coverage(found["task"])
        named = tuple(sorted({r["lower_doc"] for r in below} | set(found["documents"])))   # (with their issuers)
        _trace_from_store(found, below, fmt, cascade.store_documents(named) if fmt != "json" else {})
        return
    task, up, rows, G = found["task"], found["up"], found["down"], cascade.graph
    if fmt == "json":
        click.echo(terminal_text(json.dumps({"task": task, "up": up, "down": rows}, ensure_ascii=False, indent=1),
                                 json=True))
        return
    by = {(r["upper"], r["lower_doc"]): r for r in cascade.coverage() if r["status"] != "local"}
    lang = _lang()
    from cascade.report_rows import doc_names

    def where(n: str) -> str:
        d = G.nodes[n]
        doc = d.get("doc_id") or n
        lvl = i18n.term("level", G.nodes.get(doc, {}).get("level"), lang)
        num = f" #{d.get('number')}" if d.get("number") else ""
        return f"[{lvl}] {G.nodes.get(doc, {}).get('title') or doc}{num}"

    def line(s: str) -> None:
        click.echo(terminal_text(s, newlines=False))

    for depth, n in enumerate(reversed(up)):
        line(f"{'  ' * depth}↑ {where(n)} · {_short(G.nodes[n].get('text_norm') or G.nodes[n].get('title'))}")
    base = len(up)
    parent: dict[int, str] = {}
    for r in rows:
        indent = "  " * (base + r["depth"])
        if r["task"]:
            parent[r["depth"]] = r["task"]
            mark = "●" if r["depth"] == 0 else "↓"
            status = f"〔{i18n.term('status', r['status'], lang)}〕" if r["status"] else ""
            line(f"{indent}{mark} {status}{where(r['task'])} · {_short(r['text'])}")
        else:
            above = parent.get(r["depth"] - 1)
            row = by.get((above, r["doc_id"])) or {}
            who = ""
            if row.get("who"):
                from cascade.report_rows import who_must_act

                who = " · " + tr("cli.trace.who", who=who_must_act(row, lang))
            line(f"{indent}✗ 〔{i18n.term('status', r['status'], lang)}〕[{i18n.term('level', r['level'], lang)}] "
                 f"{G.nodes.get(r['doc_id'], {}).get('title') or r['doc_id']}{who} · "
                 f"{i18n.reason_text(r['reason'], lang, doc_names(G))}")


def _trace_from_store(found: dict, below: list[dict], fmt: str, named: dict | None = None) -> None:
    """A trace the store answered (queries/trace_store.py): the chain above, then one page of the lower
    tasks, a level deeper indented further, and the plans one level below that do not take it up, with
    their status, who must act and why (``below``: :func:`queries.coverage_store.requirement_coverage`)."""
    if fmt == "json":
        click.echo(terminal_text(json.dumps({**{k: found[k] for k in ("task", "up", "down", "total", "source")},
                                             "below": below}, ensure_ascii=False, indent=1), json=True))
        return
    import networkx as nx

    from cascade.report_rows import doc_names, who_must_act
    from core.records import LEVEL_RANK

    lang, docs, nodes = _lang(), found["documents"], found["nodes"]
    held = nx.MultiDiGraph()
    held.add_nodes_from((k, {**v, "label": "Document"}) for k, v in {**docs, **(named or {})}.items())
    names = doc_names(held)     # the reasons name documents by title, not id

    def where(doc, number) -> str:
        d = docs.get(doc) or {}
        num = f" #{number}" if number else ""
        return f"[{i18n.term('level', d.get('level'), lang)}] {d.get('title') or doc}{num}"

    def line(s: str) -> None:
        click.echo(terminal_text(s, newlines=False))

    for depth, n in enumerate(reversed(found["up"])):
        line(f"{'  ' * depth}↑ {where(nodes[n]['doc_id'], nodes[n]['number'])} · {_short(nodes[n]['text'])}")
    base, me = len(found["up"]), nodes[found["task"]]
    line(f"{'  ' * base}● {where(me['doc_id'], me['number'])} · {_short(me['text'])}")
    top = LEVEL_RANK.get((docs.get(me["doc_id"]) or {}).get("level"), 0)
    for r in sorted(found["down"], key=lambda r: LEVEL_RANK.get(r["level"], len(LEVEL_RANK))):
        step = max(1, LEVEL_RANK.get(r["level"], top + 1) - top)
        line(f"{'  ' * (base + step)}↓ {where(r['doc_id'], r['number'])} · {_short(r['text'])}")
    for r in below:
        if r["status"] != "covered":
            who = " · " + tr("cli.trace.who", who=who_must_act(r, lang)) if r.get("who") else ""
            line(f"{'  ' * (base + 1)}✗ 〔{i18n.term('status', r['status'], lang)}〕"
                 f"{where(r['lower_doc'], None) if r['lower_doc'] in docs else r.get('lower_title') or r['lower_doc']}"
                 f"{who} · {i18n.reason_text(r['reason'], lang, names)}")
    skip = found.get("offset", 0)
    line(tr("cli.trace.page", first=min(skip + 1, found["total"]), last=skip + len(found["down"]),
            total=found["total"], where=tr(f"cli.trace.source.{found['source']}")))


def _pick_requirement(cascade, doc: str, requirements: list[dict], fmt: str) -> None:
    """``cascade trace <document id>``: the document's requirements, one line each, and that one is to be picked."""
    if fmt == "json":
        click.echo(terminal_text(json.dumps({"document": doc, "requirements": requirements}, ensure_ascii=False,
                                            indent=1), json=True))
        return
    import networkx as nx

    from cascade.report_rows import doc_name

    if cascade.queries_store():     # (the document's title from the store, the graph not loaded)
        G = nx.MultiDiGraph()
        G.add_node(doc, **cascade.store_documents((doc,)).get(doc, {}))
    else:
        G = cascade.graph
    name = doc_name(G, doc)
    said = doc if name == doc else (f"{name} ({doc})" if _lang() == "en" else f"{name}（{doc}）")
    click.echo(terminal_text(tr("cli.trace.doc_pick", doc=said,
                                n=len(requirements), example=requirements[0]["id"]), newlines=False))
    for r in requirements:
        click.echo(terminal_text(tr("cli.trace.doc_item", id=r["id"], number=r["number"] or "", text=_short(r["text"], 40)),
                                 newlines=False))


def _short(text, n: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@STORE_OPTION
def check(fmt, store):
    """The checks of the cascade (parse confidence, truncated documents, units, lead-less tasks, gaps), grouped.

    Example: cascade check
    """
    cascade = Cascade(store)
    issues = cascade.check()
    if fmt == "json":
        click.echo(terminal_text(json.dumps([i.as_dict() for i in issues], ensure_ascii=False, indent=1), json=True))
        return
    from cascade.report_rows import doc_names

    lang, names = _lang(), doc_names(cascade.graph)    # a document named by its title, not its id
    groups: dict[tuple[str, str], list] = {}
    for i in issues:
        groups.setdefault((i.severity, i.code), []).append(i)
    for (severity, code), items in groups.items():
        click.echo(terminal_text(tr("cli.check.group", severity=i18n.term("severity", severity, lang),
                                    check=i18n.term("check", code, lang), n=len(items)), newlines=False))
        for i in items:
            click.echo(terminal_text(f"- {i18n.reason_text(i.message, lang, names)}", newlines=False))
    click.echo(tr("cli.check.total", n=len(issues)))


@cli.command()
@STORE_OPTION
def warm(store):
    """Compute and keep the app's first answers and the trace index for the store's current version, now
    (a build of a large store starts this in the background itself; run it for a store copied or restored
    without them).

    Example: cascade warm --store .cascade
    """
    from graph.store import content_version

    c = Cascade(store)
    if content_version(c.store) is None:
        raise CascadeError(f"no store at {store}: run 'cascade build PATH' first", key="no_store", store=str(store))
    t = time.perf_counter()
    c.warm_answers()
    click.echo(tr("cli.warm.done", seconds=round(time.perf_counter() - t, 1)))


@cli.command()
@click.option("--uri", required=True,
              help="bolt://host:port or neo4j://host:port (Bolt), or falkor://host:port (FalkorDB's own protocol: "
                   "no request limit, large batches).")
@click.option("--user", default=None, help="The login's user (Bolt: neo4j when not given).")
@click.option("--password", default=None, envvar="CASCADE_NEO4J_PASSWORD", help="Or set CASCADE_NEO4J_PASSWORD.")
@click.option("--database", default=None, help="Neo4j database, or FalkorDB graph (default: the server's).")
@click.option("--batch-size", default=None, type=int,
              help="Rows per UNWIND batch (default: 200 for Neo4j, 100 for FalkorDB's Bolt, 2000 through falkor://).")
@click.option("--wipe", is_flag=True, help="First remove what an earlier push of this tool wrote.")
@click.option("--resume", is_flag=True,
              help="Go on where an interrupted push of the same store version stopped (skips the batches it wrote).")
@STORE_OPTION
def push(uri, user, password, database, batch_size, wipe, resume, store):
    """Write the graph into a Neo4j, FalkorDB (or other Bolt) server, idempotently.

    Example: cascade push --uri bolt://localhost:7687 --user neo4j --password secret
    """
    summary = Cascade(store).push(uri, user, password, database=database, batch_size=batch_size, wipe=wipe,
                                  resume=resume, progress=True)
    click.echo(summary)


@cli.command(name="eval")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--docs", multiple=True, type=click.Path(file_okay=False), help="More folders to look for the gold's documents in.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--compare-methods", is_flag=True,
              help="Only the links: F1 per linking method (lexical, + structure, + order, + objects, + encoder).")
def eval_(gold, docs, fmt, compare_methods):
    """Precision / recall / F1 of structure, units and links against a gold file.

    Example: cascade eval --gold ../shared/gold/seeds.yaml
    """
    from cascade.evaluate import calibrate_links, compare_link_methods, evaluate

    if compare_methods:
        rows = compare_link_methods(gold, [Path(d) for d in docs])
        cal = calibrate_links(gold, [Path(d) for d in docs])
        if fmt == "json":
            click.echo(json.dumps({"methods": rows, "calibration": cal}, ensure_ascii=False, indent=1))
            return
        cols = ["method", "f1", "precision", "recall", "locals_unlinked", "best_threshold", "best_f1",
                "best_locals_unlinked"]
        click.echo(_table(cols, [[r[c] for c in cols] for r in rows]))
        click.echo(f"\nThreshold calibration (default methods): lowest right link {cal['lowest_right']}, "
                   f"highest score of a task that cannot derive from the loaded text {cal['highest_unlinkable']} "
                   f"({cal['unlinkable']} tasks), wrong best candidates {cal['wrong_best']} "
                   f"→ threshold {cal['threshold']} (in use: {cal['in_use']})")
        return

    rep = evaluate(gold, [Path(d) for d in docs])
    data = rep.as_dict()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(tr("cli.eval.structure"))
    click.echo(_table([tr(f"cli.eval.col.{c}") for c in ("document", "count", "expected", "found", "ok")],
                      [[c["doc"], c["key"], c["expected"], c["found"], tr("cli.eval.yes") if c["ok"] else tr("cli.eval.no")]
                       for c in data["counts"]]))
    click.echo("\n" + tr("cli.eval.units"))
    rows = [[doc, s["tp"], s["fp"], s["fn"], s["precision"], s["recall"], s["f1"]] for doc, s in data["units"].items()]
    o = data["units_overall"]
    rows.append([tr("cli.eval.overall"), o["tp"], o["fp"], o["fn"], o["precision"], o["recall"], o["f1"]])
    click.echo(_table([tr("cli.eval.col.document"), "tp", "fp", "fn", tr("cli.eval.col.precision"),
                       tr("cli.eval.col.recall"), "F1"], rows))
    if data["deadlines"]:
        ok = sum(d["ok"] for d in data["deadlines"])
        click.echo("\n" + tr("cli.eval.deadlines", ok=ok, n=len(data["deadlines"])))
    link = data["links"]
    click.echo("\n" + tr("cli.eval.links"))
    click.echo(_table(["tp", "fp", "fn", tr("cli.eval.col.precision"), tr("cli.eval.col.recall"), "F1"],
                      [[link["tp"], link["fp"], link["fn"], link["precision"], link["recall"], link["f1"]]]))
    loc = data["local"]
    if loc:
        click.echo(tr("cli.eval.local", abstained=loc["abstained"], total=loc["total"]))


# A built graph of a million tasks is tens of millions of objects: freeing them one by one when the
# command returns took 20-50 s at 1M, after the store was saved. The command run as a program (main)
# keeps what it built here and ends the process without that teardown; in-process callers (tests,
# CliRunner) free it as usual.
_EXIT_FAST = False
_KEPT: list = []


def main():
    global _EXIT_FAST
    _EXIT_FAST = True
    try:
        cli(prog_name="cascade")
    except SystemExit as done:
        if not _KEPT:
            raise
        code = done.code
        if code is not None and not isinstance(code, int):
            click.echo(code, err=True)
            code = 1
        _hard_exit(code or 0)


def _hard_exit(code: int) -> None:
    """End the process without freeing its objects: the output flushed, the files of a build already
    closed and synced (graph.store.save), no worker process left."""
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    main()
