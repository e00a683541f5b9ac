package dev.wirelab.fuzz.host;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * The host-* targets as Jazzer {@code @FuzzTest}s: in regression mode (plain {@code mvn test}) each
 * replays its inputs from {@code corpora/host-*} (seeds and past findings); with
 * {@code JAZZER_FUZZ=1} it fuzzes (one method per JVM run).
 */
class HostFuzzTest {
    @FuzzTest
    void capture(byte[] data) {
        HostCaptureTarget.fuzzerTestOneInput(data);
    }

    @FuzzTest
    void packet(FuzzedDataProvider data) {
        HostPacketTarget.fuzzerTestOneInput(data);
    }

    @FuzzTest
    void virtio(FuzzedDataProvider data) throws IOException {
        HostVirtioTarget.fuzzerTestOneInput(data);
    }

    @FuzzTest
    void pkt(byte[] data) {
        HostPktTarget.fuzzerTestOneInput(data);
    }
}
