package dev.wirelab.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelpTest {
    static final List<String> COMMANDS = List.of("boot", "demo", "replay", "bench", "run", "pkt2groovy", "shell");

    @Test
    void topLevelHelpListsEveryCommand() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code(), r::toString);
        for (String c : COMMANDS) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + c + " ")), c + " listed: " + r);
        }
        assertEquals(COMMANDS.size(), Main.COMMANDS.size(), "the test knows every registered command");
    }

    @TestFactory
    Stream<DynamicTest> everyCommandHasHelp() {
        return COMMANDS.stream().map(c -> DynamicTest.dynamicTest(c, () -> {
            Cli.Result r = Cli.run(c, "--help");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().startsWith("Usage: wirelab " + c), r::toString);
            assertTrue(r.out().contains("--debug"), "the global flag is inherited: " + r);
            assertEquals("", r.err(), r::toString);
        }));
    }

    @Test
    void bootHelpDocumentsTheDefaultBudgetAndExitCodes() {
        Cli.Result r = Cli.run("boot", "--help");
        String flat = r.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("20,000,000,000"), r::toString);
        assertTrue(flat.contains("124 budget exhausted"), r::toString);
        assertTrue(flat.contains("125 guest fault"), r::toString);
    }

    @Test
    void versionNamesWirelabAndJava() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("wirelab "), r::toString);
        assertTrue(!r.out().startsWith("wirelab unknown") && !r.out().contains("${"), "the build stamped the version: " + r);
        assertTrue(r.out().contains("Java "), r::toString);
    }
}
