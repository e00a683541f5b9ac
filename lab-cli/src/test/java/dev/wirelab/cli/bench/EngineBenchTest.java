package dev.wirelab.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine row's reading of libFuzzer's progress lines (the row itself: {@link BenchCommandTest}). */
class EngineBenchTest {
    @Test
    void readsTheRunCountOfTheNamedProgressLineOnly() {
        String inited = "#11\tINITED cov: 1390 ft: 2917 corp: 10/693b exec/s: 11 rss: 4569Mb";
        String done = "#3000\tDONE   cov: 2600 ft: 9000 corp: 400/65Kb lim: 506 exec/s: 74 rss: 3547Mb";
        assertEquals(OptionalLong.of(11), EngineBench.runsAt(inited, "INITED"));
        assertEquals(OptionalLong.of(3000), EngineBench.runsAt(done, "DONE"));
        assertEquals(OptionalLong.empty(), EngineBench.runsAt(done, "INITED"));
        assertEquals(OptionalLong.empty(), EngineBench.runsAt("INFO: Seed: 1", "DONE"));
        assertEquals(OptionalLong.empty(), EngineBench.runsAt("#x\tDONE", "DONE"));
        assertEquals(OptionalLong.empty(), EngineBench.runsAt("# DONE no tab", "DONE"));
    }
}
