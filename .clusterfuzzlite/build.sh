#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build (language: jvm): every wirelab fuzz target becomes $OUT/<name>,
# a launcher script in the JVM convention (jazzer_driver when the engine provides it, else the
# JDK and Jazzer's own main), with the jars in $OUT/wirelab-lib, libunicorn in $OUT, the seed
# corpus as $OUT/<name>_seed_corpus.zip and libFuzzer options in $OUT/<name>.options.
# Locally, without Docker:  SRC=/tmp/src OUT=/tmp/out WIRELAB_JDK_LINK=1 .clusterfuzzlite/build.sh
# (SRC/wirelab is the checkout; this script finds it from its own place when SRC/wirelab is absent).
# WIRELAB_NO_BUILD=1 skips the Maven build (a build that just ran); WIRELAB_JDK_LINK=1 links the JDK
# into $OUT instead of copying it.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${SRC:?set SRC}/wirelab"
[ -f "$root/scripts/build" ] || root="$(cd "$here/.." && pwd)"
: "${OUT:?set OUT}"
export JAVA_HOME="${WIRELAB_JDK:-$("$root/scripts/find-jdk")}"
if [ "${WIRELAB_NO_BUILD:-}" != 1 ]; then
  "$root/scripts/setup"
  "$root/scripts/build"
fi
lib="$root/lab-cli/target/lib"
[ -d "$lib" ] || { echo "build.sh: $lib is missing (the Maven package step did not run)" >&2; exit 1; }
unicorn="$root/.cache/unicorn/unicorn/lib/libunicorn.so.2"
[ -f "$unicorn" ] || { echo "build.sh: $unicorn is missing (scripts/setup fetches it)" >&2; exit 1; }

mkdir -p "$OUT/wirelab-lib"
# Jazzer itself stays apart: jazzer_driver brings its own agent; the fallback launcher adds it.
for jar in "$lib"/*.jar; do
  case "$(basename "$jar")" in
    jazzer-[0-9]*) cp "$jar" "$OUT/wirelab-jazzer.jar" ;;
    *) cp "$jar" "$OUT/wirelab-lib/" ;;
  esac
done
cp "$unicorn" "$OUT/libunicorn.so.2"
rm -rf "$OUT/wirelab-jdk"
if [ "${WIRELAB_JDK_LINK:-}" = 1 ]; then ln -s "$JAVA_HOME" "$OUT/wirelab-jdk"; else cp -r "$JAVA_HOME" "$OUT/wirelab-jdk"; fi

# name  class  instrumented packages (Jazzer's coverage and hooks: only these)  corpus folder  max_len (0: libFuzzer's default)
targets=(
  "tcp_listen       dev.wirelab.fuzz.targets.TcpListenTarget       dev.wirelab.fuzz.input.** tcp-listen      512"
  "tcp_established  dev.wirelab.fuzz.targets.TcpEstablishedTarget  dev.wirelab.fuzz.input.** tcp-established 512"
  "tcp_interleave   dev.wirelab.fuzz.targets.TcpInterleaveTarget   dev.wirelab.fuzz.input.** tcp-interleave  512"
  "host_capture     dev.wirelab.fuzz.host.HostCaptureTarget        dev.wirelab.**            host-capture    0"
  "host_packet      dev.wirelab.fuzz.host.HostPacketTarget         dev.wirelab.**            host-packet     0"
  "host_virtio      dev.wirelab.fuzz.host.HostVirtioTarget         dev.wirelab.**            host-virtio     0"
  "host_pkt         dev.wirelab.fuzz.host.HostPktTarget            dev.wirelab.**            host-pkt        0"
)
for t in "${targets[@]}"; do
  read -r name class include corpus maxlen <<<"$t"
  cat > "$OUT/$name" <<LAUNCHER
#!/bin/bash
# LLVMFuzzerTestOneInput: marks this script as a fuzz target for the engine's runners.
here=\$(dirname "\$0")
cp=\$(ls "\$here"/wirelab-lib/*.jar | tr '\n' ':')
# The worker's flags (lab-cli FuzzWorker.JVM): a pre-touched heap keeps the JVM's first-touch faults
# from forcing full guest-RAM scans at snapshot restores.
jvm="-Dwirelab.unicorn=\$here/libunicorn.so.2 -XX:+EnableDynamicAgentLoading --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xshare:off -Xms256m -XX:+AlwaysPreTouch -Xss1024k"
if [ -x "\$here/jazzer_driver" ]; then
  JAVA_HOME="\$here/wirelab-jdk" LD_LIBRARY_PATH="\$here/wirelab-jdk/lib/server:\$here" \\
    exec "\$here/jazzer_driver" --agent_path="\$here/jazzer_agent_deploy.jar" --cp="\$cp" \\
    --target_class=$class --instrumentation_includes='$include' --custom_hook_includes='$include' --jvm_args="\${jvm// /:}" "\$@"
fi
exec "\$here/wirelab-jdk/bin/java" \$jvm -cp "\$cp\$here/wirelab-jazzer.jar" com.code_intelligence.jazzer.Jazzer \\
  --target_class=$class --instrumentation_includes='$include' --custom_hook_includes='$include' "\$@"
LAUNCHER
  chmod +x "$OUT/$name"
  if [ "$maxlen" != 0 ]; then
    printf '[libfuzzer]\nmax_len = %s\nlen_control = 0\n' "$maxlen" > "$OUT/$name.options"
  fi
  rm -f "$OUT/${name}_seed_corpus.zip"
  if [ -d "$root/corpora/$corpus" ] && [ -n "$(ls -A "$root/corpora/$corpus")" ]; then
    (cd "$root/corpora/$corpus" && zip -q -j "$OUT/${name}_seed_corpus.zip" ./*)
  fi
done
echo "build.sh: ${#targets[@]} targets in $OUT"
