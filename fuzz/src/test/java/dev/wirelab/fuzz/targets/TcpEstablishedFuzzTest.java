package dev.wirelab.fuzz.targets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelab.fuzz.input.StreamTarget;

/**
 * {@code tcp-established} as a Jazzer {@code @FuzzTest}: in {@code mvn test} it replays the seeds in
 * {@code corpora/tcp-established/} (copied to {@code TcpEstablishedFuzzTestInputs/fuzz/}); with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class TcpEstablishedFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        StreamFuzzer.of(StreamTarget.TCP_ESTABLISHED).fuzz(data);
    }
}
