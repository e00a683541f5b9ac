package dev.wirelab.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input: exit code 2 and exactly one line on stderr that says what is wrong, no stack trace. */
class BadInputTest {
    @TempDir
    Path dir;

    record Case(String name, String expectInMessage, String... args) { }

    @TestFactory
    Stream<DynamicTest> badInputIsOneLineAndExitCode2() throws IOException {
        String hello = Cli.guest(dir, "hello.elf");
        byte[] elf = Files.readAllBytes(Path.of(hello));
        String truncated = Cli.write(dir, "truncated.elf", Arrays.copyOf(elf, 100));
        byte[] x86 = elf.clone();
        x86[18] = 62; // e_machine EM_X86_64
        x86[19] = 0;
        String notArm = Cli.write(dir, "x86.elf", x86);
        String zeros = Cli.write(dir, "zeros.img", new byte[4096]);
        String empty = Cli.write(dir, "empty.bin", new byte[0]);
        String twoMiB = Cli.write(dir, "big.bin", new byte[2 << 20]);
        Path subdir = Files.createDirectory(dir.resolve("kernels"));

        List<Case> cases = List.of(
                new Case("truncated ELF", "truncated", "boot", truncated),
                new Case("non-AArch64 ELF", "AArch64", "boot", notArm),
                new Case("Image with a bad magic", "magic", "boot", zeros, "--format", "image"),
                new Case("ELF forced on a non-ELF", "not an ELF", "boot", zeros, "--format", "elf"),
                new Case("empty file", "empty", "boot", empty),
                new Case("raw image in device space", "outside RAM", "boot", zeros, "--format", "raw", "--load-addr", "0x09000000"),
                new Case("image larger than RAM", "outside RAM", "boot", twoMiB, "--format", "raw", "--load-addr", "0x40080000", "--ram", "1M"),
                new Case("--ram 0", "not a size", "boot", hello, "--ram", "0"),
                new Case("--ram 99T", "not a size", "boot", hello, "--ram", "99T"),
                new Case("--ram banana", "not a size", "boot", hello, "--ram", "banana"),
                new Case("--ram above the board's limit", "not usable", "boot", hello, "--ram", "4G"),
                new Case("--ram not in 4K steps", "not usable", "boot", hello, "--ram", "1000001"),
                new Case("--gic 4", "use 2 or 3", "boot", hello, "--gic", "4"),
                new Case("--psci bogus", "hvc or smc", "boot", hello, "--psci", "svc"),
                new Case("--format bogus", "unknown image format", "boot", hello, "--format", "zip"),
                new Case("--load-addr with an ELF", "raw images only", "boot", hello, "--load-addr", "0x40000000"),
                new Case("--load-addr with --format elf", "raw images only", "boot", hello, "--format", "elf", "--load-addr", "0x40000000"),
                new Case("--max-insns negative", "not an instruction count", "boot", hello, "--max-insns", "-5"),
                new Case("unknown flag", "Unknown option: '--frobnicate'", "boot", hello, "--frobnicate"),
                new Case("misspelt flag", "did you mean --trace-hash", "boot", hello, "--trace-hsh"),
                new Case("flag without its value", "--ram", "boot", hello, "--ram"),
                new Case("missing file", "no such file", "boot", dir.resolve("nope.elf").toString()),
                new Case("directory as IMAGE", "is a directory", "boot", subdir.toString()),
                new Case("two images", "Unmatched argument", "boot", hello, hello),
                new Case("missing --input file", "no such file", "boot", hello, "--input", "@" + dir.resolve("nope.txt")),
                new Case("bad --input escape", "two hex digits", "boot", hello, "--input", "\\xZZ"),
                new Case("--dtb-dump into a missing directory", "does not exist", "boot", hello, "--dtb-dump", dir.resolve("no/such/dir/x.dts").toString()),
                new Case("unknown command", "unknown command 'frob'", "frob"),
                new Case("no command", "name a command", new String[0]),
                new Case("bench --runs 0", "give 1 to 100", "bench", "--runs", "0"),
                new Case("bench --guests unknown", "no such bench guest", "bench", "--guests", "bench_nope", "--no-qemu"),
                new Case("demo with an image", "Unmatched argument", "demo", hello));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        Cli.Result r = Cli.run(c.args());
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), "exactly one stderr line: " + r);
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("wirelab: "), r::toString);
        assertTrue(line.contains(c.expectInMessage()), "says what is wrong (" + c.expectInMessage() + "): " + r);
        assertFalse(r.err().contains("Exception"), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
        assertEquals("", r.out(), "no usage dump on stdout: " + r);
    }

    @Test
    void debugAddsTheStackTrace() {
        Cli.Result r = Cli.run("boot", dir.resolve("nope.elf").toString(), "--debug");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("\tat "), r::toString);
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("wirelab: ") && l.contains("no such file")), r::toString);
    }
}
