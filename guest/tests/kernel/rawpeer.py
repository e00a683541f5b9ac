#!/usr/bin/env python3
"""Raw Ethernet peer for the guest under QEMU (-netdev socket,udp=...).

QEMU's socket netdev carries one Ethernet frame per UDP datagram, so this
script can send the guest anything: well-formed ICMP/TCP, and a seeded stream
of malformed, truncated and oversized frames. It answers the guest's ARP
requests for the gateway. Usage: rawpeer.py LISTEN_PORT QEMU_PORT
Checks: ping works; SYN to port 7 gets a SYN-ACK; a peer that never ACKs the
echoed data does not block other connections; after 3000 bad frames ping and
the TCP handshake still work. Exit 0 when all checks pass."""
import random
import socket
import struct
import sys
import time

GUEST_MAC = bytes.fromhex("525400123456")
PEER_MAC = bytes.fromhex("525400000002")
GUEST_IP = socket.inet_aton("10.0.2.15")
PEER_IP = socket.inet_aton("10.0.2.2")

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", int(sys.argv[1])))
QEMU = ("127.0.0.1", int(sys.argv[2]))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(payload, etype=0x0800, dst=GUEST_MAC):
    return dst + PEER_MAC + struct.pack("!H", etype) + payload


def ip(proto, payload, src=PEER_IP, dst=GUEST_IP, ident=1):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def tcp(sport, dport, seq, ack, flags, data=b"", win=8192):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, win, 0, 0)
    pseudo = PEER_IP + GUEST_IP + struct.pack("!BBH", 0, 6, len(h) + len(data))
    c = csum(pseudo + h + data)
    return h[:16] + struct.pack("!H", c) + h[18:] + data


def send(frame):
    sock.sendto(frame, QEMU)


def recv_until(pred, timeout=3.0):
    """Receive frames (answering ARP) until pred(frame) returns a value."""
    end = time.time() + timeout
    while time.time() < end:
        sock.settimeout(max(0.01, end - time.time()))
        try:
            f, _ = sock.recvfrom(4096)
        except socket.timeout:
            break
        if len(f) >= 42 and f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x01" and f[38:42] == PEER_IP:
            arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, PEER_MAC, PEER_IP, f[22:28], f[28:32])
            send(eth(arp, 0x0806, dst=f[6:12]))
            continue
        r = pred(f)
        if r is not None:
            return r
    return None


def ping(seq):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x77, seq) + b"wirelab-ping"
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    send(eth(ip(1, icmp)))

    def is_reply(f):
        if len(f) >= 42 and f[12:14] == b"\x08\x00" and f[23] == 1 and f[34] == 0:
            if struct.unpack("!H", f[40:42])[0] == seq:
                return True
        return None
    return recv_until(is_reply) is True


def tcp_from_guest(f, sport):
    if len(f) < 54 or f[12:14] != b"\x08\x00" or f[23] != 6:
        return None
    ihl = (f[14] & 15) * 4
    t = f[14 + ihl:]
    sp, dp, seq, ack, off, flags = struct.unpack("!HHIIBB", t[:14])
    if dp != sport:
        return None
    return seq, ack, flags, t[(off >> 4) * 4:]


def syn(sport, dport=7, isn=1000):
    send(eth(ip(6, tcp(sport, dport, isn, 0, 0x02))))
    return recv_until(lambda f: tcp_from_guest(f, sport))


def handshake(sport, dport=7, isn=1000):
    r = syn(sport, dport, isn)
    if not r or r[2] & 0x12 != 0x12:
        return None
    send(eth(ip(6, tcp(sport, dport, isn + 1, r[0] + 1, 0x10))))
    return r[0] + 1


results = []
import os
KINDS = [int(k) for k in os.environ.get("KINDS", "").split(",") if k]


def check(name, ok):
    results.append(ok)
    print("%s %s" % ("PASS" if ok else "FAIL", name))


# Let the guest finish its ARP/gratuitous traffic, then basic reachability.
recv_until(lambda f: None, 0.5)
check("raw: ping", ping(1))
r = syn(40000)
check("raw: SYN to port 7 gets SYN-ACK", bool(r) and r[2] & 0x12 == 0x12)
send(eth(ip(6, tcp(40000, 7, 1001, 0, 0x04))))  # RST it

# A peer that never ACKs: send data, the guest echoes it and retransmits; a
# second connection must still work meanwhile.
g = handshake(40001, isn=5000)
if g:
    send(eth(ip(6, tcp(40001, 7, 5001, g, 0x18, b"never acked"))))
    recv_until(lambda f: None, 1.0)
g2 = handshake(40002, isn=7000)
ok = False
if g2:
    send(eth(ip(6, tcp(40002, 7, 7001, g2, 0x18, b"second"))))
    got = recv_until(lambda f: (lambda t: t if t and t[3] else None)(tcp_from_guest(f, 40002)))
    ok = bool(got) and got[3] == b"second"
check("raw: unacked peer does not block another connection", bool(g) and ok)

# Malformed traffic from a fixed seed.
rng = random.Random(20261121)
templates = []
for i in range(20):
    templates.append(eth(ip(6, tcp(41000 + i, rng.choice([7, 80, 9]), rng.getrandbits(32), rng.getrandbits(32),
                                   rng.getrandbits(8), bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 64)))))))
    icmp = struct.pack("!BBHHH", rng.randrange(0, 20), 0, 0, 1, i) + b"x" * rng.randrange(0, 100)
    templates.append(eth(ip(1, icmp)))
    templates.append(eth(ip(17, struct.pack("!HHHH", 5000, 7, 8 + 4, 0) + b"abcd")))
    templates.append(eth(struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, rng.choice([1, 2, 3]), PEER_MAC,
                                     PEER_IP, GUEST_MAC, GUEST_IP), 0x0806))
for n in range(3000):
    kind = rng.randrange(6)
    if KINDS and kind not in KINDS:
        continue
    f = bytearray(rng.choice(templates))
    if kind == 0:  # flip bytes anywhere past the MAC addresses
        for _ in range(rng.randrange(1, 8)):
            f[rng.randrange(12, len(f))] = rng.getrandbits(8)
    elif kind == 1:  # truncate
        f = f[:rng.randrange(1, len(f))]  # (an empty datagram would stop QEMU's socket netdev)
    elif kind == 2:  # oversized (up to 2000 bytes)
        f += bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 2000 - len(f))))
    elif kind == 3:  # lie in the IP total length / header length
        f[14] = 0x40 | rng.randrange(16)
        f[16:18] = struct.pack("!H", rng.getrandbits(16))
    elif kind == 4:  # IP fragments with random offsets
        f[20:22] = struct.pack("!H", rng.getrandbits(16))
        f[24:26] = b"\0\0"
        f[24:26] = struct.pack("!H", csum(bytes(f[14:34])))
    else:  # random garbage frame
        f = GUEST_MAC + PEER_MAC + bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 1600)))
    send(bytes(f))
    if n % 100 == 99:
        recv_until(lambda f: None, 0.02)
recv_until(lambda f: None, 1.0)
check("raw: ping after 3000 malformed frames", ping(2) or ping(3))
r = syn(40100, isn=9000)
check("raw: SYN-ACK after malformed frames", bool(r) and r[2] & 0x12 == 0x12)
sys.exit(0 if all(results) else 1)
