package dev.wirelab.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputEncoder;
import dev.wirelab.fuzz.input.StreamTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void corporaHoldExactlyTheEncodedSeeds() throws Exception {
        Path root = Path.of(System.getProperty("wirelab.root", "..")).resolve("corpora");
        for (StreamTarget t : StreamTarget.values()) {
            Map<String, FuzzInput> seeds = Seeds.forTarget(t);
            assertTrue(seeds.size() >= 4, t.id() + " has a handful of seeds");
            for (Map.Entry<String, FuzzInput> e : seeds.entrySet()) {
                Path f = root.resolve(t.id()).resolve("seed-" + e.getKey());
                assertTrue(Files.isRegularFile(f), f + " exists (run dev.wirelab.fuzz.Seeds to write the corpora)");
                assertArrayEquals(InputEncoder.encode(e.getValue()), Files.readAllBytes(f), f + " is up to date");
            }
        }
    }
}
