"""The worker's outbound HTTP (Web Push, the SMS gateway, Zalo): one POST to the host the URL names,
finished or abandoned within an overall deadline.

Why not ``requests``:
- The host that is checked must be the host that is connected to. ``urlsplit`` and urllib3 read
  ``https://127.0.0.2\\@fcm.googleapis.com/x`` differently (the first sees the push service, the second
  connects to 127.0.0.2). Here a URL is parsed once, strictly (:func:`parse_url` refuses user-info,
  backslashes, unknown characters, default ports written out and other non-canonical forms), and the
  connection goes to an address that was resolved and checked at send time (:func:`public_addresses`:
  no loopback, private, link-local, shared, reserved or multicast address, nor one embedded in an IPv6
  form). Redirects are never followed: a 3xx is a failure like any other.
- ``requests``' timeout bounds each socket read, so a server sending a byte every few seconds holds a
  worker thread for ever. Here a watchdog (:data:`WATCHDOG`) shuts the socket at the deadline, whatever
  the server does, and :class:`DeadlineExceeded` is raised.
"""
import heapq
import http.client
import ipaddress
import itertools
import re
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3.util

# scheme://host[:port][/path][?query], nothing else: no user-info ("@"), no backslash, no fragment.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
URL = re.compile(r"^(?P<scheme>https?)://(?P<host>" + _LABEL + r"(?:\." + _LABEL + r")*)"
                 r"(?::(?P<port>[1-9][0-9]{0,4}))?(?P<target>/[A-Za-z0-9\-._~!$&'()*+,;=:/%]*"
                 r"(?:\?[A-Za-z0-9\-._~!$&'()*+,;=:/?%]*)?)?$")
PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
MAX_URL = 1000
MAX_BODY = 64 * 1024  # of an answer: push services and gateways answer in a few hundred bytes
# IPv6 prefixes that carry an IPv4 address (NAT64's well-known prefix): the IPv4 one is checked too.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundRefused(ValueError):
    """The URL or the address it resolves to is not one the server may call."""


class DeadlineExceeded(TimeoutError):
    """The call did not finish within its overall deadline."""


class DeliveryFailed(RuntimeError):
    """A service answered, but not with success: what it is and its status code (never an address)."""

    def __init__(self, service: str, status: int | str):
        super().__init__(f"{service} answered {status}")
        self.status = status


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line

    @property
    def origin(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return f"{self.scheme}://{self.host}" + ("" if self.port == default else f":{self.port}")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict
    body: bytes


def parse_url(url: str, *, ports_allowed: bool = False, exact_hosts: tuple = (), names_only: bool = True) -> Target:
    """``url`` as the connection will use it, or :class:`OutboundRefused`. A host must be a lower-case
    name with a letter in its last label (no IP literal in any spelling); a port only where
    ``ports_allowed`` (a gateway a city configures), and never the scheme's default written out.
    ``exact_hosts``: ``host:port`` names taken as they are (the tests' local services);
    ``names_only=False`` also takes a dotted IPv4 address (a gateway on the city's network)."""
    if not isinstance(url, str) or len(url) > MAX_URL:
        raise OutboundRefused("not a URL")
    match = URL.match(url)
    if match is None or PERCENT.search(url):
        raise OutboundRefused("not a canonical http(s) URL (user-info, backslashes, fragments and "
                              "unusual characters are refused)")
    scheme, host, port = match["scheme"], match["host"], match["port"]
    if f"{host}:{port}" in exact_hosts:
        return Target(scheme, host, int(port), match["target"] or "/")
    if names_only and not re.search(r"[a-z]", host.rsplit(".", 1)[-1]):
        raise OutboundRefused("the host must be a name, not an address")
    default = 443 if scheme == "https" else 80
    if port is not None and (not ports_allowed or int(port) in (default, 0) or int(port) > 65535):
        raise OutboundRefused("no port may be given")
    target = Target(scheme, host, int(port or default), match["target"] or "/")
    # The same URL read by the two parsers other code might use must name the same host (belt and braces).
    if urlsplit(url).hostname != host or urllib3.util.parse_url(url).host != host:
        raise OutboundRefused("the URL's host is ambiguous")
    return target


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_is_public(text: str) -> bool:
    """A global unicast address (and so is any IPv4 address an IPv6 form carries)."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if not address.is_global or address.is_multicast:
        return False
    inner = _embedded_v4(address) if address.version == 6 else None
    return inner is None or address_is_public(str(inner))


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to now, or :class:`OutboundRefused` when any is not public (a
    name resolving to a mix is refused whole: DNS rebinding)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OutboundRefused(f"the host does not resolve ({exc.errno})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses or not all(address_is_public(a) for a in addresses):
        raise OutboundRefused("the host resolves to an address that is not public")
    return addresses


class Watchdog:
    """One thread for the process that runs each expiry callback when its deadline passes (a timer
    thread per call would cost a thread start per message)."""

    def __init__(self):
        self._heap: list = []
        self._cancelled: set = set()
        self._wake = threading.Condition()
        self._ids = itertools.count()
        self._thread = None

    def watch(self, deadline: float, expire) -> int:
        with self._wake:
            token = next(self._ids)
            earliest = not self._heap or deadline < self._heap[0][0]
            heapq.heappush(self._heap, (deadline, token, expire))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="outbound-watchdog", daemon=True)
                self._thread.start()
            if earliest:  # otherwise it wakes in time for this one anyway (a wake-up per call costs the
                self._wake.notify()  # sender two thread switches)
            return token

    def forget(self, token: int) -> None:
        with self._wake:
            self._cancelled.add(token)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._heap:
                    self._wake.wait()
                deadline, token, expire = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)
                if token in self._cancelled:
                    self._cancelled.discard(token)
                    continue
            try:
                expire()
            except OSError:
                pass


WATCHDOG = Watchdog()


def shut(sock) -> None:
    """Shut a socket from another thread: a thread blocked on it returns at once. The plain socket's
    shutdown, not ``SSLSocket.shutdown`` (which also drops the TLS object the other thread uses)."""
    if sock is not None:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


@contextmanager
def overall_deadline(seconds: float, sockets):
    """Within the block, every socket ``sockets()`` returns is shut when ``seconds`` have passed; a
    failure after that is raised as :class:`DeadlineExceeded`."""
    fired = threading.Event()

    def expire():
        fired.set()
        for sock in sockets():
            shut(sock)
    token = WATCHDOG.watch(time.monotonic() + seconds, expire)
    try:
        yield
    except Exception as exc:  # noqa: BLE001  (whatever the shut socket made the client raise)
        if fired.is_set():
            raise DeadlineExceeded(f"no answer within {seconds:g} s") from None
        raise exc
    finally:
        WATCHDOG.forget(token)
    if fired.is_set():
        raise DeadlineExceeded(f"no answer within {seconds:g} s")


def post(url: str, body: bytes, headers: dict, *, deadline_s: float, plain_http_hosts: tuple = (),
         context: ssl.SSLContext | None = None) -> Answer:
    """POST ``body`` to ``url``, a URL someone outside supplied (a browser's push endpoint): HTTPS, no
    port, public addresses only; ``plain_http_hosts`` (``host:port``) are taken as they are (the tests'
    local services). The whole exchange finishes within ``deadline_s`` seconds."""
    target = parse_url(url, exact_hosts=plain_http_hosts)
    if f"{target.host}:{target.port}" in plain_http_hosts:
        return _exchange(target, _resolve(target), body, headers, deadline_s, context)
    if target.scheme != "https":
        raise OutboundRefused("plain HTTP is refused")
    return _exchange(target, public_addresses(target.host, target.port), body, headers, deadline_s, context)


def post_to_gateway(url: str, body: bytes, headers: dict, *, deadline_s: float) -> Answer:
    """POST to a gateway the city configured (``SMS_GATEWAY_URL``, ``ZALO_ZNS_URL``): it may have a port
    and sit on the city's own network; the deadline holds all the same."""
    target = parse_url(url, ports_allowed=True, names_only=False)
    return _exchange(target, _resolve(target), body, headers, deadline_s, None)


def _resolve(target: Target) -> list[str]:
    return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(target.host, target.port,
                                                                         type=socket.SOCK_STREAM)))


def _exchange(target: Target, addresses: list[str], body: bytes, headers: dict, deadline_s: float,
              context) -> Answer:
    """Send the request to the first of ``addresses`` that takes it and read the answer, within the
    deadline (the watchdog shuts whatever connection is open when it passes)."""
    started, opened = time.monotonic(), []
    with overall_deadline(deadline_s, lambda: [c.sock for c in opened]):
        last_error: Exception | None = None
        for address in addresses:
            remaining = deadline_s - (time.monotonic() - started)
            if remaining <= 0:
                break
            connection = _connection(target, address, min(remaining, 10.0), context)
            opened.append(connection)
            try:
                connection.request("POST", target.path, body=body, headers=headers)
            except OSError as exc:  # this address does not take it: the next one
                last_error = exc
                connection.close()
                continue
            try:
                response = connection.getresponse()
                return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                              response.read(MAX_BODY))
            finally:
                connection.close()
        raise last_error or OSError("no address answered")


def _connection(target: Target, address: str, timeout: float, context) -> http.client.HTTPConnection:
    """A connection to ``address`` for ``target.host``: TLS is checked against the host's name."""
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(target.host, target.port, timeout=timeout,
                                                 context=context or ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    # http.client resolves the host itself; this makes it connect to the address checked above.
    connection._create_connection = lambda _address, timeout, source=None: socket.create_connection(
        (address, target.port), timeout, source)
    return connection
