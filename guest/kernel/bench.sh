#!/bin/bash
# Benchmark of the default guest: image size and instructions from reset to
# "wirelab-guest: ready".
# Method: QEMU with -icount shift=0 (deterministic, one instruction per virtual
# ns); the guest enables PMU event 0x08 (INST_RETIRED) as its first action in
# start.S and, with bootarg "bench", prints the counter when it prints ready.
# QEMU's TCG counts retired instructions exactly under icount. The few
# instructions before the PMU is enabled (< 10) are not counted.
# usage: bench.sh [OUT]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../build/out}
[ $# -eq 0 ] && { make -s -C "$HERE" OUT="$OUT" all || exit 1; }
ELF=$OUT/kernel/wirelab-guest.elf
IMG=$OUT/kernel/wirelab-guest.Image
echo "image: $(stat -c %s "$IMG") bytes (wirelab-guest.Image)"
aarch64-linux-gnu-size "$ELF" | awk 'NR==2 { printf "elf: text %d, data %d, bss %d bytes\n", $1, $2, $3 }'
LOG=$(mktemp /tmp/wl-bench.XXXXXX)
for gic in 3 2; do
	timeout 60 qemu-system-aarch64 -M virt,gic-version=$gic -cpu cortex-a72 -m 256M -nographic \
		-semihosting -icount shift=0 -kernel "$ELF" -append bench \
		-netdev user,id=n0 -device virtio-net-device,netdev=n0 </dev/null >"$LOG" 2>&1 &
	pid=$!
	for _ in $(seq 1 300); do grep -q 'bench instructions=' "$LOG" && break; sleep 0.1; done
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
	n=$(grep -a -o 'bench instructions=[0-9]*' "$LOG" | head -1)
	echo "instructions reset->ready (gic-version=$gic, legacy virtio, qemu -icount shift=0): ${n##*=}"
done
rm -f "$LOG"
