"""How a push talks to a server: one sender per protocol, the same requests through either.

:mod:`graph.push` builds every statement and batch; a sender only carries a statement and its
parameters to the server and brings the rows back, turning the client's errors into one-line
:class:`ExportError` messages that never hold the password.

- :class:`BoltSender`: the Bolt protocol with the official ``neo4j`` driver (Neo4j, and FalkorDB's Bolt
  listener, which drops any request over 4 KB).
- :class:`FalkorSender`: FalkorDB's own protocol (the redis port: ``GRAPH.QUERY`` with the parameters
  in a ``CYPHER name=value …`` header) with the ``falkordb`` client. No request limit there, so a batch
  can carry thousands of rows: what lets a nation-year onto a FalkorDB server. Addresses as FalkorDB's
  own documentation writes them: ``falkor://host:port`` (``falkors://`` with TLS; ``redis://`` and
  ``rediss://`` too).
"""
from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit, urlunsplit

from core.errors import ExportError

__all__ = ["safe_uri", "scrub", "connect", "is_native", "open_sender", "BoltSender", "FalkorSender",
           "NATIVE_SCHEMES", "FALKOR_BOLT_GRAPH"]

NATIVE_SCHEMES = ("falkor", "falkors", "redis", "rediss")
# The graph FalkorDB's Bolt listener serves to a session that names no database (4.16: one that names
# any database gets the graph "db"): where a native push writes unless told otherwise, so the app and
# `cascade gaps` reading the server through Bolt find it.
FALKOR_BOLT_GRAPH = "falkordb"
# Seconds a native request may take before the push calls the server stuck (a batch of thousands of
# rows takes well under one at a nation-year).
_NATIVE_TIMEOUT = 300


def safe_uri(uri: str) -> str:
    """The address without any user or password it may embed.

    >>> safe_uri("bolt://neo4j:secret@db.example:7687")
    'bolt://db.example:7687'
    >>> safe_uri("falkor://:secret@db.example:6379/cascade")
    'falkor://db.example:6379/cascade'
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable address>"
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def scrub(text: str, uri: str, password: str | None) -> str:
    """A client's message with the raw address and the password taken out.

    >>> scrub("Unable to parse 'bolt://u:pw@h:1'", "bolt://u:pw@h:1", "pw")
    "Unable to parse 'bolt://h:1'"
    """
    text = text.replace(uri, safe_uri(uri))
    if password:
        text = text.replace(password, "***")
    parts = urlsplit(uri) if "://" in uri else None
    if parts is not None and parts.password:
        text = text.replace(parts.password, "***")
    return text


def is_native(uri: str) -> bool:
    """Whether the address is FalkorDB's own protocol rather than Bolt.

    >>> is_native("falkor://localhost:6379"), is_native("bolt://localhost:7687")
    (True, False)
    """
    return uri.split("://", 1)[0].lower() in NATIVE_SCHEMES


def _wake(uri: str, wait: float = 0.5) -> None:
    """Offer a bare Bolt handshake and drop it.

    The FalkorDB Bolt listener (4.16) leaves the first handshake after a connection closed with
    GOODBYE unanswered until the client gives up; a dropped handshake clears that state (measured:
    the next driver connection then opens in 0.05 s instead of waiting out its 10 s deadline). A
    server that answers (Neo4j) just sees a client leave. Plain ``bolt://``/``neo4j://`` only.
    """
    import socket

    parts = urlsplit(uri)
    if parts.scheme not in ("bolt", "neo4j") or not parts.hostname:
        return
    try:
        with socket.create_connection((parts.hostname, parts.port or 7687), timeout=wait) as sock:
            sock.settimeout(wait)
            sock.sendall(bytes.fromhex("6060B017" "000001FF" "00080805" "00020404" "00000003"))
            sock.recv(4)
    except (OSError, ValueError):
        pass


def connect(uri: str, user: str | None, password: str | None, attempts: int = 3, connections: int = 1):
    """One driver (of at most ``connections`` connections), checked: raises :class:`ExportError` with one
    line for a bad address or login.

    A refused handshake is retried a few times before the address is called unreachable.
    """
    try:
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise ExportError("the 'neo4j' driver is not installed") from err
    where = safe_uri(uri)
    auth = (user or "", password) if password else None
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=5.0,
                                            connection_acquisition_timeout=10.0, max_connection_pool_size=connections)
    except (ConfigurationError, ValueError) as err:
        raise ExportError(f"{where}: not a Bolt address ({scrub(str(err).splitlines()[0], uri, password)})") from None
    last = None
    for attempt in range(attempts):
        _wake(uri)
        try:
            driver.verify_connectivity()
            return driver
        except AuthError:
            driver.close()
            raise ExportError(f"{where}: the server refused user '{user}': wrong user or password") from None
        except ServiceUnavailable as err:
            last = err
            time.sleep(0.2 * (attempt + 1))
        except Neo4jError as err:
            driver.close()
            # FalkorDB answers a password it cannot check with a general error during the login.
            raise ExportError(f"{where}: the server refused the login of user '{user}' "
                              f"({scrub(err.message or err.code or '', uri, password)}): check the user and password") from None
        except OSError as err:
            last = err
            time.sleep(0.2 * (attempt + 1))
    driver.close()
    cause = last
    while cause is not None and cause.__cause__ is not None:
        cause = cause.__cause__
    if isinstance(cause, OSError) and cause.strerror:
        reason = cause.strerror
    else:
        reason = scrub(" ".join(str(last).split())[:160], uri, password) if last else "no answer"
    raise ExportError(f"{where}: no Bolt server answers ({reason})")


class BoltSender:
    """Requests over Bolt: one session, and with ``connections`` > 1 one more per worker thread."""

    native = False

    def __init__(self, uri: str, user: str | None, password: str | None, database: str | None, connections: int = 1):
        self.uri, self.password, self.database = uri, password, database
        self.where = safe_uri(uri) + (f" database {database}" if database else "")
        self.driver = connect(uri, user or "neo4j", password, connections=max(1, connections))
        self.session = self.driver.session(database=database)
        self.neo4j = self._is_neo4j()
        self._local = threading.local()
        self._opened: list = []

    def _is_neo4j(self) -> bool:
        try:
            rows = self.session.run("CALL dbms.components() YIELD name RETURN name").data()
        except Exception:  # noqa: BLE001 - any refusal means "not Neo4j"
            return False
        return any(str(r.get("name", "")).startswith("Neo4j") for r in rows)

    def run(self, query: str, what: str, params: dict, own: bool = False) -> list[dict]:
        """The rows of one request. ``own``: on this thread's own session (a worker of a push with more
        than one connection), else on the one session (never used by two threads at once)."""
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        session = self.session
        if own:
            if not hasattr(self._local, "session"):
                self._local.session = self.driver.session(database=self.database)
                self._opened.append(self._local.session)
            session = self._local.session
        try:
            return session.run(query, **params).data()
        except (ServiceUnavailable, SessionExpired) as err:
            raise ExportError(f"{safe_uri(self.uri)}: the server dropped the connection while writing {what} "
                              f"({scrub(str(err).splitlines()[0], self.uri, self.password)}); "
                              "try a smaller --batch-size") from None
        except Neo4jError as err:
            msg = (err.message or err.code or "").splitlines()
            raise ExportError(f"{safe_uri(self.uri)}: the server refused writing {what}: "
                              f"{scrub(msg[0] if msg else '', self.uri, self.password)}") from None

    def schema(self, query: str) -> str | None:
        """Run a schema statement; the first line of the server's refusal, or None when it took it."""
        try:
            self.session.run(query).consume()
            return None
        except Exception as err:  # noqa: BLE001 - the server's dialect decides; the caller reports
            return str(getattr(err, "message", None) or err).splitlines()[0]

    def close(self) -> None:
        for session in [*self._opened, self.session]:
            session.close()
        self.driver.close()


class FalkorSender:
    """Requests through FalkorDB's own protocol to one graph: ``database``, else the address's path
    (``falkor://host:port/graph``), else the graph FalkorDB's Bolt listener serves."""

    native = True
    neo4j = False

    def __init__(self, uri: str, user: str | None, password: str | None, database: str | None,
                 timeout: float = _NATIVE_TIMEOUT):
        try:
            import redis
            from falkordb import FalkorDB
            from redis.backoff import NoBackoff
            from redis.retry import Retry
        except ImportError as err:  # pragma: no cover - a declared dependency
            raise ExportError("the 'falkordb' client is not installed") from err
        self.uri, self.password = uri, password
        try:
            parts = urlsplit(uri)
            parts.port   # noqa: B018 - raises on a port that is not a number
        except ValueError as err:
            raise ExportError(f"{safe_uri(uri)}: not a FalkorDB address ({scrub(str(err), uri, password)})") from None
        path = parts.path.strip("/")
        # a redis address's path is a database number; FalkorDB keeps graphs in database 0
        self.graph_name = database or (path if path and not path.isdigit() else FALKOR_BOLT_GRAPH)
        base = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        self.where = f"{safe_uri(base)} graph {self.graph_name}"
        login = {}
        if password and not parts.password:
            login = {"password": password, **({"username": user} if user else {})}
        try:
            _first_answer(base, login)
            db = FalkorDB.from_url(base, socket_timeout=timeout, socket_connect_timeout=5.0,
                                   retry=Retry(NoBackoff(), 1), **login)
            db.connection.ping()
        except redis.exceptions.AuthenticationError:
            raise ExportError(f"{self.where}: the server refused the login: wrong user or password") from None
        except redis.exceptions.ResponseError as err:   # e.g. NOAUTH: the server wants a password
            raise ExportError(f"{self.where}: the server refused the connection "
                              f"({scrub(str(err).splitlines()[0], uri, password)})") from None
        except (redis.exceptions.RedisError, OSError, ValueError) as err:
            raise ExportError(f"{self.where}: no FalkorDB server answers "
                              f"({scrub(str(err).splitlines()[0] if str(err) else type(err).__name__, uri, password)})") from None
        self.db = db
        self.graph = db.select_graph(self.graph_name)
        self.timeout = timeout

    def run(self, query: str, what: str, params: dict, own: bool = False) -> list[dict]:
        """The rows of one request, as dicts like the Bolt driver's ``data()``; the client's pool gives each
        thread its own connection, so ``own`` changes nothing."""
        import redis

        try:
            result = self.graph.query(query, params)
        except redis.exceptions.TimeoutError:
            raise ExportError(f"{self.where}: the server did not answer in {self.timeout:.0f} s while writing "
                              f"{what}; try a smaller --batch-size") from None
        except redis.exceptions.ConnectionError as err:
            raise ExportError(f"{self.where}: the server dropped the connection while writing {what} "
                              f"({scrub(str(err).splitlines()[0] if str(err) else 'closed', self.uri, self.password)})") from None
        except redis.exceptions.ResponseError as err:
            raise ExportError(f"{self.where}: the server refused writing {what}: "
                              f"{scrub(str(err).splitlines()[0], self.uri, self.password)}") from None
        names = [h[1] for h in result.header]
        return [dict(zip(names, row)) for row in result.result_set]

    def schema(self, query: str) -> str | None:
        """Run a schema statement; the first line of the server's refusal, or None when it took it."""
        try:
            self.graph.query(query)
            return None
        except Exception as err:  # noqa: BLE001 - the server's dialect decides; the caller reports
            return str(err).splitlines()[0] if str(err) else type(err).__name__

    def close(self) -> None:
        self.db.connection.close()


def _first_answer(url: str, login: dict, attempts: int = 4, wait: float = 2.0) -> None:
    """Ping on fresh connections until one answers.

    FalkorDB 4.16 leaves the first command of the first connection opened after a Bolt client said
    GOODBYE unanswered for ever (measured: a PING waited 600 s; the next connection answered at once,
    and so does one opened before). The app's readers close Bolt connections all the time, so a push
    starts by spending that stuck connection here, with a short wait, rather than on its first batch.
    """
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    for attempt in range(attempts):
        client = redis.Redis.from_url(url.replace("falkor", "redis", 1), socket_timeout=wait,
                                      socket_connect_timeout=5.0, retry=Retry(NoBackoff(), 0), **login)
        try:
            client.ping()
            return
        except redis.exceptions.TimeoutError:
            if attempt == attempts - 1:
                raise
        finally:
            client.close()


def open_sender(uri: str, user: str | None, password: str | None, database: str | None = None,
                connections: int = 1) -> BoltSender | FalkorSender:
    """The sender the address's scheme asks for: FalkorDB's own protocol for ``falkor://``, ``falkors://``,
    ``redis://`` and ``rediss://``, else Bolt."""
    if is_native(uri):
        return FalkorSender(uri, user, password, database)
    return BoltSender(uri, user, password, database, connections)
