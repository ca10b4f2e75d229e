"""Free TCP ports on 127.0.0.1, for the servers the tests, the benchmarks and the local stack start
(never a fixed number: two runs on one machine, or a server someone else runs, must not collide)."""
import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    return free_ports(1)[0]


def free_ports(n: int) -> list[int]:
    """``n`` distinct free ports (held open together while chosen, so none is picked twice)."""
    probes = []
    try:
        for _ in range(n):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()
