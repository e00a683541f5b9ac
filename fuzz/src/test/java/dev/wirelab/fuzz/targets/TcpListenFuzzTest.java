package dev.wirelab.fuzz.targets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelab.fuzz.input.StreamTarget;

/**
 * {@code tcp-listen} as a Jazzer {@code @FuzzTest}: in {@code mvn test} it replays the seeds in
 * {@code corpora/tcp-listen/} (copied to {@code TcpListenFuzzTestInputs/fuzz/}); with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class TcpListenFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        StreamFuzzer.of(StreamTarget.TCP_LISTEN).fuzz(data);
    }
}
