package dev.wirelab.emulator.lab;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReproHeaderTest {
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final String C = "c".repeat(64);

    static final String TEXT = """
            // wirelab-repro: 1
            // title: tcp_input panics on an out-of-window FIN
            // made-with: wirelab 0.1.0
            // guest: default sha256=%s
            // board: gic=3 ram=128M
            // expect: reproduced
            // trace-hash: %s
            boot()
            """.formatted(A, B);

    @Test
    void parsesWhatItRenders() {
        ReproHeader h = ReproHeader.parse(TEXT).orElseThrow();
        assertEquals("tcp_input panics on an out-of-window FIN", h.title());
        assertEquals(new ReproHeader.Guest(ReproHeader.GuestKind.DEFAULT, "default", A), h.guest());
        assertEquals(ReproHeader.Outcome.REPRODUCED, h.expect());
        assertEquals("gic=3 ram=128M", h.board());
        assertEquals(B, h.traceHash());
        assertTrue(TEXT.startsWith(h.render()), h.render());
        assertEquals(Optional.of(h), ReproHeader.parse(h.render()));
    }

    @Test
    void zooAndFileGuests() {
        ReproHeader z = ReproHeader.parse(TEXT.replace("guest: default", "guest: zoo:smoltcp-underflow")).orElseThrow();
        assertEquals(new ReproHeader.Guest(ReproHeader.GuestKind.ZOO, "smoltcp-underflow", A), z.guest());
        ReproHeader f = ReproHeader.parse(TEXT.replace("guest: default", "guest: file:my kernel.elf")).orElseThrow();
        assertEquals(new ReproHeader.Guest(ReproHeader.GuestKind.FILE, "my kernel.elf", A), f.guest());
        assertEquals(Optional.of(f), ReproHeader.parse(f.render()));
    }

    @Test
    void aScriptWithoutTheMagicHasNoHeader() {
        assertEquals(Optional.empty(), ReproHeader.parse("// just a script\nboot()\n"));
        assertEquals(Optional.empty(), ReproHeader.parse("boot()\n// wirelab-repro: 1\n"));
    }

    @Test
    void malformedHeadersNameTheLine() {
        assertTrue(assertThrows(ReproHeader.Malformed.class, () -> ReproHeader.parse(TEXT.replace("expect: reproduced", "expect: maybe")))
                .getMessage().startsWith("line 6: expect must be"));
        assertTrue(assertThrows(ReproHeader.Malformed.class, () -> ReproHeader.parse(TEXT.replace("sha256=" + A, "sha256=12")))
                .getMessage().startsWith("line 4: guest must be"));
        assertTrue(assertThrows(ReproHeader.Malformed.class, () -> ReproHeader.parse(TEXT.replace("wirelab-repro: 1", "wirelab-repro: 9")))
                .getMessage().contains("version '9' is not supported"));
        assertTrue(assertThrows(ReproHeader.Malformed.class, () -> ReproHeader.parse(TEXT.replaceAll("// title: .*\n", "")))
                .getMessage().contains("no '// title: ...' line"));
    }

    @Test
    void differencesSayWhatChanged() {
        ReproHeader h = ReproHeader.parse(TEXT).orElseThrow();
        assertEquals(List.of(), h.differences(new ReproHeader.Observed("0.1.0", "default", A, true, B)));
        assertEquals(List.of("repro was made with guest default sha256=" + A + "; this run uses wirelab-guest.elf sha256=" + C),
                h.differences(new ReproHeader.Observed("0.1.0", "wirelab-guest.elf", C, true, B)));
        assertEquals(List.of("repro recorded 'reproduced' but this run did not reproduce the bug (trace hash " + C + ")"),
                h.differences(new ReproHeader.Observed("0.1.0", "default", A, false, C)));
        assertEquals(List.of("repro reproduced differently: trace hash " + C + ", the repro recorded " + B),
                h.differences(new ReproHeader.Observed("0.1.0", "default", A, true, C)));
        assertEquals(List.of("repro was made with wirelab 0.1.0; this is wirelab 0.2.0"),
                h.differences(new ReproHeader.Observed("0.2.0", "default", A, true, B)));
    }
}
