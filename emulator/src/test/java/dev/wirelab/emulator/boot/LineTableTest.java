package dev.wirelab.emulator.boot;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DWARF line reader against binutils: for a sample of addresses of real ELF files (the default
 * guest and a zoo guest, DWARF 5 from the cross gcc; a small file compiled here with -gdwarf-4),
 * {@link LineTable#lookup} says the same file:line as {@code addr2line}.
 */
class LineTableTest {
    private static final String ADDR2LINE = "aarch64-linux-gnu-addr2line";
    /** The tie-breaker: binutils 2.40 names the wrong file for DWARF 5 sequences that never set one. */
    private static final String LLVM_ADDR2LINE = "llvm-addr2line";
    private static final String GCC = "aarch64-linux-gnu-gcc";

    @TempDir
    Path tmp;

    static byte[] resource(String path) {
        try (InputStream in = LineTableTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path + " (is the guest module built?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean present(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An addr2line's answer per address: "file:line" with the path normalized, or null for "??". */
    private List<String> addr2line(String tool, Path elf, List<Long> addresses) throws Exception {
        Path in = tmp.resolve("addresses.txt");
        StringBuilder b = new StringBuilder();
        addresses.forEach(a -> b.append("0x").append(Long.toHexString(a)).append('\n'));
        Files.writeString(in, b);
        Process p = new ProcessBuilder(tool, "-e", elf.toString()).redirectInput(in.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String> answers = new ArrayList<>();
        for (String line : out.split("\n")) {
            String l = line.replaceFirst(" \\(discriminator \\d+\\)$", "");
            int colon = l.lastIndexOf(':');
            String file = l.substring(0, colon);
            String num = l.substring(colon + 1);
            answers.add(file.equals("??") || num.equals("?") ? null : Path.of(file).normalize() + ":" + num);
        }
        assertEquals(addresses.size(), answers.size(), out);
        return answers;
    }

    /** Every range start, a random address inside each range, and addresses just outside the table. */
    private static List<Long> sample(LineTable table, long seed) {
        Random r = new Random(seed);
        List<Long> out = new ArrayList<>();
        for (LineTable.Range range : table.ranges()) {
            if (range.start() == 0) {
                continue;   // functions the linker dropped: addr2line and we may pick different ones
            }
            out.add(range.start());
            long len = range.end() - range.start();
            out.add(range.start() + 4 * (long) r.nextInt((int) Math.max(1, Math.min(len / 4, 1 << 20))));
        }
        out.add(table.ranges().getLast().end() + 0x1000);
        return out;
    }

    private int compare(byte[] bytes, String name) throws Exception {
        Path elf = tmp.resolve(name);
        Files.write(elf, bytes);
        LineTable table = LineTable.parse(name, bytes);
        assertTrue(table.available(), table.problem());
        List<Long> addresses = sample(table, 7);
        List<String> expected = addr2line(ADDR2LINE, elf, addresses);
        List<Long> disputed = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String line = table.lookup(addresses.get(i)).map(LineTable.SourceLine::toString).orElse(null);
            if (!java.util.Objects.equals(line, expected.get(i))) {
                disputed.add(addresses.get(i));
                ours.add(line);
            }
        }
        assertTrue(disputed.size() * 100 < addresses.size(), name + ": " + disputed.size() + " of " + addresses.size()
                + " differ from " + ADDR2LINE + ", e.g. " + (disputed.isEmpty() ? "" : Long.toHexString(disputed.getFirst())));
        if (!disputed.isEmpty()) {
            assumeTrue(present(LLVM_ADDR2LINE), disputed.size() + " disputed addresses and no " + LLVM_ADDR2LINE);
            assertEquals(addr2line(LLVM_ADDR2LINE, elf, disputed), ours,
                    name + ": where GNU addr2line differs, llvm-addr2line must side with us");
        }
        return addresses.size();
    }

    @Test
    void defaultGuestMatchesAddr2line() throws Exception {
        assumeTrue(present(ADDR2LINE), ADDR2LINE + " not installed");
        assertTrue(compare(resource("/guest/kernel/wirelab-guest.elf"), "wirelab-guest.elf") > 1000);
    }

    @Test
    void zooGuestMatchesAddr2line() throws Exception {
        assumeTrue(present(ADDR2LINE), ADDR2LINE + " not installed");
        assertTrue(compare(resource("/guest/zoo/smoltcp-1136.elf"), "smoltcp-1136.elf") > 1000);
    }

    @Test
    void dwarf4MatchesAddr2line() throws Exception {
        assumeTrue(present(ADDR2LINE) && present(GCC), GCC + " or " + ADDR2LINE + " not installed");
        Path src = tmp.resolve("dwarf4.c");
        Files.writeString(src, """
                static int table[16];
                static int helper(int x) {
                    for (int i = 0; i < 16; i++) {
                        table[i] += x * i;
                    }
                    return table[x & 15];
                }
                int start(int x) {
                    int s = 0;
                    while (x > 0) {
                        s += helper(x);
                        x >>= 1;
                    }
                    return s;
                }
                """);
        Path elf = tmp.resolve("dwarf4.elf");
        Process p = new ProcessBuilder(GCC, "-gdwarf-4", "-O1", "-fno-inline", "-ffreestanding", "-nostdlib", "-static",
                "-Wl,-e,start", "-o", elf.toString(), src.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        byte[] bytes = Files.readAllBytes(elf);
        LineTable t = LineTable.parse("dwarf4.elf", bytes);
        assertTrue(t.ranges().size() > 5, t.ranges().toString());
        assertTrue(t.ranges().stream().allMatch(r -> r.line().file().endsWith("dwarf4.c")), t.ranges().toString());
        compare(bytes, "dwarf4-copy.elf");
    }

    @Test
    void bootingAnElfKeepsItsLinesForLater() {
        BootImage img = BootImages.parse("wirelab-guest.elf", resource("/guest/kernel/wirelab-guest.elf"));
        ElfImage elf = assertInstanceOf(ElfImage.class, img);
        long main = elf.symbols().address("kmain").orElseThrow();
        Optional<LineTable.SourceLine> at = elf.lines().lookup(main);
        assertEquals("main.c", at.orElseThrow().file());
        assertTrue(at.get().line() > 0);
    }

    @Test
    void aFunctionsEntryLineIsItsOwnNotTheInlinedCodeAtItsStart() throws IOException {
        ElfImage elf = (ElfImage) BootImages.parse("wirelab-guest.elf", resource("/guest/kernel/wirelab-guest.elf"));
        Path kernel = Path.of("..", "guest", "kernel");
        for (String f : List.of("kmain", "timer_now", "now_ms", "schedule", "sched_tick")) {
            long at = elf.symbols().address(f).orElseThrow();
            LineTable.SourceLine entry = elf.lines().entryLine(at).orElseThrow();
            List<String> source = Files.readAllLines(kernel.resolve(entry.file()));
            // gcc's first row is the line of the name, or of the opening brace when it stands alone under it
            String text = source.get(entry.line() - 1).strip().equals("{") ? source.get(entry.line() - 2)
                    : source.get(entry.line() - 1);
            assertTrue(text.contains(f + "("), f + " at " + entry + " is declared there: " + text);
        }
        // timer_now's first instruction is the inlined isb(): addr2line's line for it is not the declaration.
        long timerNow = elf.symbols().address("timer_now").orElseThrow();
        assertNotEquals(elf.lines().entryLine(timerNow), elf.lines().lookup(timerNow));
    }

    @Test
    void noDebugInfoIsNoLinesNotAnError() {
        LineTable t = LineTable.of("simple.elf", BootImagesTest.simpleElf());
        assertFalse(t.available());
        assertTrue(t.problem().startsWith("simple.elf: "), t.problem());
        assertTrue(t.lookup(0x40080000L).isEmpty());
        assertFalse(LineTable.none().available());
    }
}
