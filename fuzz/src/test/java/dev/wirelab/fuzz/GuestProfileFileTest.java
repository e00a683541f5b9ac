package dev.wirelab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.StreamTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profile files: the shipped ones, the checks, and a hand-written profile driving the real guest. */
class GuestProfileFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path defaultElf() throws IOException {
        try (InputStream in = Lab.class.getResourceAsStream(Lab.DEFAULT_GUEST)) {
            Path elf = dir.resolve("kernel.elf");
            Files.write(elf, in.readAllBytes());
            return elf;
        }
    }

    @Test
    void shippedProfilesDescribeTheDefaultAndZooGuests() {
        GuestProfile d = GuestProfile.defaultGuest();
        assertEquals("default", d.name());
        assertEquals(Lab.DEFAULT_GUEST, d.image());
        assertTrue(d.readyPattern().matcher(Lab.READY_LINE).find());
        assertTrue(d.panicPattern().matcher("!!! PANIC !!!").find());
        assertEquals(List.of(5000, 7, 9), List.of(d.listenPort(), d.servicePort(), d.connectPort()));
        for (String z : GuestProfile.ZOO) {
            GuestProfile p = GuestProfile.zoo(z);
            assertEquals("zoo:" + z, p.name());
            assertEquals("/guest/zoo/" + z + ".elf", p.image());
            assertEquals(p.toString(), GuestProfile.named("zoo:" + z).toString(), "--guest zoo:X is its shipped profile");
        }
    }

    @Test
    void everyKeyIsReadAndRelativeImagesAreTheFilesNeighbours() throws IOException {
        defaultElf();
        Path f = write("mine.profile", """
                # my kernel
                name = mine
                image = kernel.elf
                bootargs = console=ttyAMA0 quiet
                ram = 64M
                ready.symbol = bench_report
                guest.ip = 10.0.2.16
                port.listen = 6000
                port.service = 8
                port.connect = 10
                panic.console = (BUG|Oops): .*
                panic.symbol = panic_at
                panic.exit = 3
                coverage = 0x40080000-0x400c0000, 0x40100000-0x40101000
                """);
        GuestProfile p = GuestProfileFile.load(f);
        assertEquals("mine", p.name());
        assertEquals(dir.resolve("kernel.elf").toString(), p.image());
        assertEquals("console=ttyAMA0 quiet", p.boardConfig().bootArgs());
        assertEquals(64L << 20, p.boardConfig().ramSize());
        assertNull(p.readyPattern());
        assertEquals("bench_report", p.readySymbol());
        assertEquals("10.0.2.16", p.guestIp());
        assertEquals(List.of(6000, 8, 10), List.of(p.listenPort(), p.servicePort(), p.connectPort()));
        assertTrue(p.panicPattern().matcher("Oops: null deref").find(), "a regex is taken literally, no escapes");
        assertEquals("panic_at", p.panicSymbol());
        assertEquals(3, p.panicExitCode());
        assertEquals(List.of(new GuestProfile.Range(0x40080000L, 0x400c0000L),
                new GuestProfile.Range(0x40100000L, 0x40101000L)), p.coverage());
        assertEquals(p.toString(), GuestProfile.named(GuestProfile.FILE_PREFIX + f).toString(), "how the child JVM gets it");
    }

    @Test
    void badProfilesAreOneLineNamingFileLineAndKey() throws IOException {
        defaultElf();
        String base = "image = kernel.elf\nready.console = up\n";
        String unknown = assertThrows(GuestProfileFile.BadProfile.class,
                () -> GuestProfileFile.load(write("a.profile", base + "panic.regex = x\n"))).getMessage();
        assertTrue(unknown.contains("a.profile:3") && unknown.contains("unknown key 'panic.regex'"), unknown);
        String regex = assertThrows(GuestProfileFile.BadProfile.class,
                () -> GuestProfileFile.load(write("b.profile", base + "panic.console = (oops\n"))).getMessage();
        assertTrue(regex.contains("b.profile:3") && regex.contains("panic.console") && regex.contains("not a regex"),
                regex);
        String twice = assertThrows(GuestProfileFile.BadProfile.class,
                () -> GuestProfileFile.load(write("c.profile", base + "ready.console = x\n"))).getMessage();
        assertTrue(twice.contains("given twice"), twice);
        String noReady = assertThrows(GuestProfileFile.BadProfile.class,
                () -> GuestProfileFile.load(write("d.profile", "image = kernel.elf\n"))).getMessage();
        assertTrue(noReady.contains("ready.console") && noReady.contains("ready.symbol"), noReady);
        String noImage = assertThrows(GuestProfileFile.BadProfile.class,
                () -> GuestProfileFile.load(write("e.profile", "image = gone.elf\nready.console = up\n"))).getMessage();
        assertTrue(noImage.contains("gone.elf") && noImage.contains("not a readable file"), noImage);
        String port = assertThrows(GuestProfileFile.BadProfile.class,
                () -> GuestProfileFile.load(write("f.profile", base + "port.listen = 70000\n"))).getMessage();
        assertTrue(port.contains("port.listen") && port.contains("out of range"), port);
        String range = assertThrows(GuestProfileFile.BadProfile.class,
                () -> GuestProfileFile.load(write("g.profile", base + "coverage = 0x10\n"))).getMessage();
        assertTrue(range.contains("coverage") && range.contains("0x10"), range);
        for (String m : List.of(unknown, regex, twice, noReady, noImage, port, range)) {
            assertEquals(1, m.lines().count(), m);
        }
    }

    @Test
    void aHandWrittenProfileBootsToItsReadySymbolAndFuzzes() throws IOException {
        defaultElf();
        Path f = write("symbol.profile", """
                name = by-symbol
                image = kernel.elf
                ready.symbol = bench_report
                panic.symbol = panic_at
                """);
        GuestProfile p = GuestProfileFile.load(f);
        try (FuzzLab lab = FuzzLab.open(p, StreamTarget.TCP_ESTABLISHED, ExecSettings.defaults())) {
            assertTrue(lab.lab().console.contains(Lab.READY_LINE), "bench_report runs right after the ready line");
            FuzzInput seed = Seeds.forTarget(StreamTarget.TCP_ESTABLISHED).values().iterator().next();
            Execution e = lab.execute(seed);
            assertTrue(e.frames().size() > 0, "the seed reached the guest: " + e);
        }
    }
}
