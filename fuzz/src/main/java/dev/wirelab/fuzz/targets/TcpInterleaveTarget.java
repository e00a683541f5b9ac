package dev.wirelab.fuzz.targets;

import dev.wirelab.fuzz.input.StreamTarget;

/**
 * Standalone Jazzer entry for {@code tcp-interleave}:
 * {@code java -cp ... com.code_intelligence.jazzer.Jazzer --target_class=dev.wirelab.fuzz.targets.TcpInterleaveTarget}.
 */
public final class TcpInterleaveTarget {
    private TcpInterleaveTarget() {
    }

    public static void fuzzerInitialize() {
        StreamFuzzer.of(StreamTarget.TCP_INTERLEAVE);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        StreamFuzzer.of(StreamTarget.TCP_INTERLEAVE).fuzz(data);
    }
}
