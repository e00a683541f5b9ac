package dev.wirelab.fuzz.targets;

import dev.wirelab.fuzz.input.StreamTarget;

/**
 * Standalone Jazzer entry for {@code tcp-listen}:
 * {@code java -cp ... com.code_intelligence.jazzer.Jazzer --target_class=dev.wirelab.fuzz.targets.TcpListenTarget}.
 */
public final class TcpListenTarget {
    private TcpListenTarget() {
    }

    public static void fuzzerInitialize() {
        StreamFuzzer.of(StreamTarget.TCP_LISTEN);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        StreamFuzzer.of(StreamTarget.TCP_LISTEN).fuzz(data);
    }
}
