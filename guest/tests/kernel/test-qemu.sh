#!/bin/bash
# QEMU network tests for the wirelab default guest (the product image) and its
# test build (wirelab-guest-testing: fakelab and the crash= self-tests).
# usage: test-qemu.sh [OUT]   (images in OUT/kernel; default guest/build/out, built if needed)
# Prints PASS/FAIL per check and a final "N passed, N failed"; exit 0 only if all pass.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../../build/out}
if [ $# -eq 0 ]; then
	make -s -C "$HERE/.." OUT="$OUT" all >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
ELF=$OUT/kernel/wirelab-guest.elf
IMG=$OUT/kernel/wirelab-guest.Image
TELF=$OUT/kernel/wirelab-guest-testing.elf
[ -f "$ELF" ] && [ -f "$IMG" ] && [ -f "$TELF" ] || { echo "missing $ELF, $IMG or $TELF"; echo "0 passed, 1 failed"; exit 1; }
TMP=$(mktemp -d /tmp/wl-guest-test.XXXXXX)
PASS=0
FAIL=0
QPID=
cleanup() { [ -n "$QPID" ] && kill "$QPID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

ok() { PASS=$((PASS + 1)); echo "PASS $1"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL $1${2:+: $2}"; }
check() { local n=$1; shift; if "$@"; then ok "$n"; else ko "$n"; fi; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME GIC LEGACY(1|0) KERNEL APPEND: runs QEMU in the background, waits for ready.
start() {
	local name=$1 gic=$2 legacy=$3 kernel=$4 append=$5
	P7=$(free_port); P80=$(free_port); P9000=$(free_port)
	LOG=$TMP/$name.log
	local extra=()
	[ "$legacy" = 0 ] && extra=(-global virtio-mmio.force-legacy=false)
	timeout 300 qemu-system-aarch64 -M virt,gic-version=$gic -cpu cortex-a72 -m 256M -nographic \
		-semihosting -kernel "$kernel" ${append:+-append "$append"} "${extra[@]}" \
		-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$P7-:7,hostfwd=udp:127.0.0.1:$P7-:7,hostfwd=tcp:127.0.0.1:$P80-:80,hostfwd=tcp:127.0.0.1:$P9000-:9000 \
		-device virtio-net-device,netdev=n0 </dev/null >"$LOG" 2>&1 &
	QPID=$!
	for _ in $(seq 1 150); do
		grep -q '^wirelab-guest: ready' "$LOG" 2>/dev/null && return 0
		kill -0 $QPID 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}
stop() { [ -n "$QPID" ] && kill "$QPID" 2>/dev/null; wait "$QPID" 2>/dev/null; QPID=; }

alive() { kill -0 "$QPID" 2>/dev/null && ! grep -q 'PANIC' "$LOG"; }

t_echo() { [ "$(echo "hello wirelab" | timeout 10 nc -N 127.0.0.1 "$P7")" = "hello wirelab" ]; }

t_echo_1m() {
	head -c 1048576 /dev/urandom >"$TMP/r1m"
	local want got
	want=$(sha256sum <"$TMP/r1m" | cut -d' ' -f1)
	got=$(timeout 60 nc -N 127.0.0.1 "$P7" <"$TMP/r1m" | sha256sum | cut -d' ' -f1)
	[ "$want" = "$got" ]
}

t_http() { [ "$(timeout 10 curl -sf "http://127.0.0.1:$P80/")" = "hello from wirelab-guest" ]; }

t_http_404() { [ "$(timeout 10 curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P80/nope")" = 404 ]; }

t_http_400() { [ "$(head -c 3000 /dev/zero | tr '\0' 'A' | timeout 10 nc -N 127.0.0.1 "$P80" | head -1 | tr -d '\r')" = "HTTP/1.0 400 Bad Request" ]; }

t_http_big() {
	local want got
	want=$(python3 -c "
import sys
sys.stdout.write(''.join('%08x ' % k + chr(97 + k % 26) * 54 + '\n' for k in range(16384)))" | sha256sum | cut -d' ' -f1)
	got=$(timeout 60 curl -sf "http://127.0.0.1:$P80/big" | sha256sum | cut -d' ' -f1)
	[ "$want" = "$got" ]
}

t_udp() {
	python3 - "$P7" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
for i in range(20):
    msg = b"udp %d" % i
    for attempt in range(3):
        s.sendto(msg, ("127.0.0.1", int(sys.argv[1])))
        try:
            if s.recvfrom(100)[0] == msg: break
        except socket.timeout:
            pass
    else:
        sys.exit(1)
PY
}

t_concurrent() {
	python3 - "$P7" <<'PY'
import socket, sys, threading, os
ok = {}
def run(i):
    try:
        data = os.urandom(262144)
        c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
        def send():
            c.sendall(data); c.shutdown(socket.SHUT_WR)
        t = threading.Thread(target=send); t.start()
        got = bytearray()
        while True:
            d = c.recv(65536)
            if not d: break
            got += d
        t.join()
        ok[i] = bytes(got) == data
    except OSError:
        ok[i] = False
ts = [threading.Thread(target=run, args=(i,)) for i in range(6)]
for t in ts: t.start()
for t in ts: t.join()
sys.exit(0 if all(ok.get(i) for i in range(6)) else 1)
PY
}

t_many() {
	python3 - "$P7" <<'PY'
import socket, sys
port = int(sys.argv[1])
for i in range(200):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    msg = b"short %d\n" % i
    s.sendall(msg)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        d = s.recv(4096)
        if not d:
            break
        got += d
    s.close()
    if got != msg:
        print("connection %d: got %r" % (i, got)); sys.exit(1)
PY
}

t_storm() {
	python3 - "$P7" "$P80" <<'PY'
import socket, sys, time, threading
p7, p80 = int(sys.argv[1]), int(sys.argv[2])
held, lock = [], threading.Lock()
def conn(p):
    try:
        s = socket.create_connection(("127.0.0.1", p), timeout=4)
        s.send(b"GET")
        with lock:
            held.append(s)
    except OSError:
        pass
# 120 concurrent connections: more than both accept queues (16 each) can hold
ts = [threading.Thread(target=conn, args=(p7 if i % 2 else p80,)) for i in range(120)]
for t in ts: t.start()
for t in ts: t.join()
time.sleep(1)
for s in held:
    s.close()
# the guest must still serve
deadline = time.time() + 60
while time.time() < deadline:
    try:
        s = socket.create_connection(("127.0.0.1", p7), timeout=5)
        s.settimeout(10)
        s.sendall(b"after storm"); s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            d = s.recv(100)
            if not d: break
            got += d
        if got == b"after storm":
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit(1)
PY
}

run_suite() {
	local tag=$1
	check "$tag echo round trip" t_echo
	check "$tag echo 1 MiB both ways (sha256)" t_echo_1m
	check "$tag http GET /" t_http
	check "$tag http 404" t_http_404
	check "$tag http 400 for an endless header" t_http_400
	check "$tag http GET /big 1 MiB (sha256)" t_http_big
	check "$tag UDP echo" t_udp
	check "$tag 6 concurrent 256 KiB echoes" t_concurrent
	check "$tag 200 short connections" t_many
	check "$tag connection storm survived" t_storm
	check "$tag http after storm" t_http
	check "$tag no panic" alive
}

# 1. GICv3, legacy virtio-mmio, ELF
if start gic3-legacy 3 1 "$ELF" ""; then ok "boot gic-version=3 legacy virtio (elf)"; run_suite "gic3/legacy:"; else ko "boot gic-version=3 legacy virtio (elf)" "$(tail -5 "$LOG")"; fi
stop
# 2. GICv2, modern virtio-mmio, ELF
if start gic2-modern 2 0 "$ELF" ""; then ok "boot gic-version=2 modern virtio (elf)"; run_suite "gic2/modern:"; else ko "boot gic-version=2 modern virtio (elf)" "$(tail -5 "$LOG")"; fi
stop
# 3. Image format, DHCP, seeded PRNG
if start image-dhcp 3 0 "$IMG" "ip=dhcp seed=42"; then
	ok "boot Image with ip=dhcp"
	check "image/dhcp: address from DHCP" grep -q '^wirelab-guest: ip 10.0.2.15 gw 10.0.2.2 (dhcp)' "$LOG"
	check "image/dhcp: echo round trip" t_echo
else ko "boot Image with ip=dhcp" "$(tail -5 "$LOG")"; fi
stop
# 4. Lab agents driven by the kernel's stand-in host (bootarg fakelab)
t_fakelab() {
	local got
	got=$(echo "ping-lab" | timeout 10 nc -N 127.0.0.1 "$P9000")
	wait "$LPID"
	sleep 0.5
	[ "$got" = "ping-lab" ] && [ "$(cat "$TMP/from-guest")" = "hello-host" ] &&
		grep -q '^fakelab: agent0 nr=203 res=0' "$LOG" && grep -q '^fakelab: agent0 nr=205 res=0' "$LOG" &&
		grep -q '^fakelab: agent0 hello size=16384 version=1' "$LOG" &&
		grep -q '^fakelab: agent1 hello size=16384 version=1' "$LOG" &&
		grep -q '^fakelab: agent0 nr=198 res=3' "$LOG" &&
		grep -q '^fakelab: agent0 nr=207 res=9' "$LOG" &&
		grep -q '^fakelab: agent0 nr=206 res=9' "$LOG" &&
		grep -q '^fakelab: agent0 nr=57 res=0' "$LOG" &&
		grep -q '^fakelab: agent1 nr=198 res=-97' "$LOG" && grep -q '^fakelab: agent1 nr=57 res=-9' "$LOG" &&
		grep -q '^fakelab: agent1 nr=63 res=-14' "$LOG" && grep -q '^fakelab: agent1 nr=200 res=-88' "$LOG" &&
		grep -q '^fakelab: agent1 nr=4242 res=-38' "$LOG" && grep -q '^fakelab: agent1 nr=101 res=0' "$LOG" &&
		grep -q '^fakelab: agent1 nr=73 res=0' "$LOG" && ! grep -q 'killed\|PANIC' "$LOG"
}
PL=$(free_port)
timeout 30 python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
c, _ = s.accept(); data = b""
while True:
    d = c.recv(100)
    if not d: break
    data += d
open(sys.argv[2], "wb").write(data)' "$PL" "$TMP/from-guest" &
LPID=$!
if start fakelab 3 1 "$TELF" "fakelab=$PL"; then check "lab agents run host-issued syscalls (fakelab)" t_fakelab; else ko "boot with fakelab"; fi
stop
check "no lab host: agents exit quietly" bash -c "! grep -q 'fakelab\|killed' '$TMP/gic3-legacy.log'"

# 5. Raw frames (QEMU socket netdev): ping, handshake, a peer that never ACKs,
#    3000 seeded malformed/truncated/oversized frames (rawpeer.py)
raw_suite() {
	local legacy=$1 tag=$2 PA PB extra=()
	PA=$(free_port); PB=$(free_port)
	[ "$legacy" = 0 ] && extra=(-global virtio-mmio.force-legacy=false)
	LOG=$TMP/raw-$legacy.log
	timeout 120 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a72 -m 256M -nographic -semihosting \
		-kernel "$ELF" "${extra[@]}" -netdev socket,id=n0,udp=127.0.0.1:$PA,localaddr=127.0.0.1:$PB \
		-device virtio-net-device,netdev=n0 </dev/null >"$LOG" 2>&1 &
	QPID=$!
	for _ in $(seq 1 150); do grep -q '^wirelab-guest: ready' "$LOG" 2>/dev/null && break; sleep 0.2; done
	while read -r verdict name; do
		case $verdict in PASS) ok "$tag $name" ;; FAIL) ko "$tag $name" ;; esac
	done < <(timeout 100 python3 "$HERE/rawpeer.py" "$PA" "$PB" 2>&1)
	check "$tag no panic after raw frames" alive
	stop
}
raw_suite 1 "raw/legacy:"
raw_suite 0 "raw/modern:"

# 5b. Deterministic transcript up to ready
start det-a 3 1 "$ELF" ""; stop; cp "$TMP/det-a.log" "$TMP/a"
start det-b 3 1 "$ELF" ""; stop; cp "$TMP/det-b.log" "$TMP/b"
check "boot transcript is identical across runs" cmp -s <(sed -n '1,/ready/p' "$TMP/a") <(sed -n '1,/ready/p' "$TMP/b")

# 6. Panic paths: report format and semihosting exit code 1
panic_case() {
	local arg=$1 want=$2 log=$TMP/panic.log
	timeout 60 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a72 -m 256M -nographic -semihosting \
		-kernel "$TELF" -append "$arg" -netdev user,id=n0 -device virtio-net-device,netdev=n0 </dev/null >"$log" 2>&1
	local rc=$?
	[ $rc = 1 ] && grep -q '^!!! PANIC !!!' "$log" && grep -q '^Location: [^ ]*:[0-9]*' "$log" &&
		grep -q "^Message: .*$want" "$log" && grep -q '^Thread: .* (tid [0-9]*)' "$log" && grep -q '^Registers: pc=' "$log"
}
check "panic: kernel data abort" panic_case "crash=fault" "kernel fault: data abort"
check "panic: lwIP assertion" panic_case "crash=assert" "lwIP assertion: selftest"
check "panic: preemption watchdog" panic_case "crash=preempt wd_preempt=50" "preemption disabled too long"
check "panic: network thread starvation watchdog" panic_case "crash=starve wd_preempt=100000 wd_starve=50" "network thread starved"
check "panic: kernel stack overflow" panic_case "crash=kstack" "kernel stack overflow"

# 6b. The product image has no test code: crash= is an unknown bootarg there
if start product-crash 3 1 "$ELF" "crash=assert"; then
	check "product image ignores crash= (no self-tests in it)" alive
else ko "product image with crash=assert reaches ready" "$(tail -5 "$LOG")"; fi
stop

# 7. Socket table exhausted (nsock=6: the two listeners, the UDP socket and 3
#    more): a storm gets RSTs, the guest keeps serving once it is over.
if start nsock 3 1 "$ELF" "nsock=6"; then
	check "exhausted socket table: storm survived" t_storm
	check "exhausted socket table: http after storm" t_http
	check "exhausted socket table: no panic" alive
else ko "boot with nsock=6"; fi
stop

# 8. An EL0 fault (stack overflow into the guard page) kills only that process
if start crash-user 3 1 "$TELF" "crash=user"; then
	check "EL0 fault kills the process, kernel keeps serving" bash -c "grep -q '^wirelab-guest: crasher (tid [0-9]*) killed: data abort (lower EL)' '$LOG' && [ \"\$(echo alive | timeout 10 nc -N 127.0.0.1 $P7)\" = alive ]"
else ko "boot with crash=user"; fi
stop

echo "$PASS passed, $FAIL failed"
[ $FAIL = 0 ]
