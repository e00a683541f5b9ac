package dev.wirelab.fuzz.targets;

import dev.wirelab.fuzz.input.StreamTarget;

/**
 * Standalone Jazzer entry for {@code tcp-established}:
 * {@code java -cp ... com.code_intelligence.jazzer.Jazzer --target_class=dev.wirelab.fuzz.targets.TcpEstablishedTarget}.
 */
public final class TcpEstablishedTarget {
    private TcpEstablishedTarget() {
    }

    public static void fuzzerInitialize() {
        StreamFuzzer.of(StreamTarget.TCP_ESTABLISHED);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        StreamFuzzer.of(StreamTarget.TCP_ESTABLISHED).fuzz(data);
    }
}
