package dev.wirelab.fuzz.targets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelab.fuzz.input.StreamTarget;

/**
 * {@code tcp-interleave} as a Jazzer {@code @FuzzTest}: in {@code mvn test} it replays the seeds in
 * {@code corpora/tcp-interleave/} (copied to {@code TcpInterleaveFuzzTestInputs/fuzz/}); with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class TcpInterleaveFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        StreamFuzzer.of(StreamTarget.TCP_INTERLEAVE).fuzz(data);
    }
}
