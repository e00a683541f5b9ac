package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scripting API against the default guest, as a JUnit test drives it. */
class LabTest {
    @RegisterExtension
    static final BootedLab BOOTED = new BootedLab();
    static final Lab lab = BOOTED.lab();

    private void handshake() {
        lab.inject(lab.tcp(Map.of("flags", "S", "mss", 1460)));
        Packet synAck = lab.expect(Map.of("flags", "S.", "seq", 0, "ack", 1));
        assertTrue(synAck.tcp().syn());
        lab.inject(lab.tcp(Map.of("flags", ".", "seq", 1, "ack", 1)));
    }

    @Test
    void budgetAndCtrlCHoldInWaitsOutsideTheLabVerbs() {
        lab.setBudget(1000);
        LabFailure f = assertThrows(LabFailure.class, () -> lab.getWire().await("something never true", () -> false));
        assertEquals(LabFailure.Kind.BUDGET_EXHAUSTED, f.kind());
        assertEquals(0, lab.getBudget());
        lab.setBudget(Lab.DEFAULT_BUDGET);
        long before = lab.getInstructions();
        lab.interrupt();
        f = assertThrows(LabFailure.class, () -> lab.getWire().tcp().connect("10.0.2.15", 7).awaitEstablished());
        assertEquals(LabFailure.Kind.INTERRUPTED, f.kind());
        assertEquals(before, lab.getInstructions(), "stopped before running anything");
        lab.getWire().await("the connection", () -> true); // the interrupt is used up
    }

    @Test
    void handshakeDataEchoAndFinWithRelativeNumbers() {
        assertTrue(lab.console.getText().contains(Lab.READY_LINE));
        handshake();
        lab.inject(lab.tcp(Map.of("flags", "P.", "data", "hello")));
        lab.expect(Map.of("data", "hello", "seq", 1, "ack", 6, "eventually", true));
        lab.inject(lab.tcp(Map.of("flags", "F.")));
        lab.expect(Map.of("flags", "F.", "eventually", true));
        assertTrue(lab.trace.getFrames().stream().anyMatch(FrameEvent::isOut));
    }

    @Test
    void failedExpectationNamesTheLineAndShowsBothPackets() {
        lab.inject(lab.tcp(Map.of("flags", "S")));
        LabFailure f = assertThrows(LabFailure.class, () -> lab.expect(Map.of("flags", "S.", "seq", 0, "ack", 99)));
        assertEquals(LabFailure.Kind.EXPECTATION_FAILED, f.kind());
        assertTrue(f.getMessage().contains("expect failed: ack"), f.getMessage());
        assertTrue(f.getMessage().contains("expected: tcp flags S. seq 0 ack 99"), f.getMessage());
        assertTrue(f.getMessage().contains("actual:   tcp sport 7 dport 40000 flags S. seq 0 ack 1"), f.getMessage());
        assertTrue(f.where().startsWith("LabTest.java:"), f.where());
    }

    @Test
    void timingToleranceInVirtualTime() {
        long sent = lab.getNow();
        lab.inject(lab.tcp(Map.of("flags", "S")));
        LabFailure f = assertThrows(LabFailure.class, () -> lab.expect(Map.of("flags", "S.", "at", sent + lab.ms(500),
                "tolerance", lab.ms(1))));
        assertTrue(f.getMessage().contains("expect failed: time (arrived at"), f.getMessage());
        lab.reset();
        lab.inject(lab.tcp(Map.of("flags", "S")));
        lab.expect(Map.of("flags", "S.", "at", lab.getNow(), "tolerance", lab.ms(5)));
    }

    @Test
    void noPacketIsAFailureNotAHang() {
        LabFailure f = assertThrows(LabFailure.class, () -> lab.expect(Map.of("flags", "S.", "within", lab.ms(50))));
        assertTrue(f.getMessage().contains("no packet from the guest"), f.getMessage());
    }

    @Test
    void breakpointOnTcpInputThenTickAndContinue() {
        lab.breakpoint("tcp_input");
        try {
            lab.inject(lab.tcp(Map.of("flags", "S")));
            Stop s = lab.run(50_000_000);
            assertEquals("breakpoint", s.reason(), s.toString());
            assertEquals(lab.sym.get("tcp_input"), lab.regs.get("pc"));
            assertTrue(s.where().startsWith("tcp_input"), s.where());
            lab.tick();
            assertTrue(lab.trace.getInterrupts().stream().anyMatch(i -> i.kind().equals("tick")));
        } finally {
            lab.clearBreakpoint("tcp_input");
        }
        lab.expect(Map.of("flags", "S.", "seq", 0, "ack", 1));
        assertEquals(null, lab.getPanic());
    }

    @Test
    void registersMemorySymbolsDisassembly() {
        long a = lab.sym.get("tcp_input");
        assertEquals("tcp_input", lab.sym.at(a));
        assertEquals(16, lab.mem.read(a, 16).length);
        String d = lab.disasm(a, 4);
        assertEquals(4, d.lines().count());
        assertFalse(d.lines().allMatch(l -> l.contains(".inst")), d);
        lab.regs.put("x5", 0x1234L);
        assertEquals(0x1234L, lab.regs.get("x5"));
        assertThrows(IllegalArgumentException.class, () -> lab.regs.get("x31"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lab.sym.get("tcp_inpu"));
        assertTrue(e.getMessage().contains("tcp_input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lab.mem.read(0xdead_0000_0000L, 4));
    }

    @Test
    void snapshotRestoreGivesTheSameRun() {
        Snapshot s = lab.snapshot();
        lab.inject(lab.tcp(Map.of("flags", "S")));
        lab.run(3_000_000);
        String h1 = lab.trace.getHash();
        int frames = lab.trace.getFrames().size();
        lab.restore(s);
        lab.inject(lab.tcp(Map.of("flags", "S")));
        lab.run(3_000_000);
        assertEquals(h1, lab.trace.getHash());
        assertEquals(frames, lab.trace.getFrames().size());
    }

    @Test
    void budgetEndsLongRuns() {
        lab.setBudget(1_000_000);
        LabFailure f = assertThrows(LabFailure.class, () -> lab.run(10_000_000_000L));
        assertEquals(LabFailure.Kind.BUDGET_EXHAUSTED, f.kind());
    }

    @Test
    void interruptFromAnotherThreadStopsARun() throws Exception {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) { }
            lab.interrupt();
        });
        t.start();
        LabFailure f = assertThrows(LabFailure.class, () -> lab.run(10_000_000_000L));
        t.join();
        assertEquals(LabFailure.Kind.INTERRUPTED, f.kind());
        long at = lab.getInstructions();
        lab.run(1000); // state intact: it continues
        assertTrue(lab.getInstructions() > at);
    }

    @Test
    void untilConsoleTimeAndAdvance() {
        long t0 = lab.getNow();
        Stop s = lab.advance(Map.of("ms", 20));
        assertEquals("time", s.reason());
        assertEquals(t0 + lab.ms(20), lab.getNow());
        Stop w = lab.until(Map.of("console", "never printed", "within", lab.ms(5)));
        assertEquals("timeout", w.reason());
    }

    @Test
    void syscallsThroughTheGuestAgent() {
        int fd = (int) lab.sys.socket(0, Sys.AF_INET, Sys.SOCK_STREAM, 0).orThrow();
        assertTrue(fd >= 0);
        lab.sys.bind(0, fd, "0.0.0.0", 9000).orThrow();
        lab.sys.listen(0, fd, 4).orThrow();
        assertTrue(lab.trace.getSyscalls().stream().anyMatch(t -> t.number() == 201), "listen traced");
        lab.sys.close(0, fd).orThrow();
    }

    @Test
    void panicReportIsParsed() {
        Panic p = Panic.find("x\r\n\r\n!!! PANIC !!!\r\nLocation: tcp_in.c:123\r\nMessage: lwIP assertion: boom\r\n"
                + "Thread: net (tid 2)\r\nRegisters: pc=1 lr=2 sp=3\r\n");
        assertNotNull(p);
        assertEquals("tcp_in.c:123", p.location());
        assertEquals("lwIP assertion: boom (tcp_in.c:123)", p.title());
    }

    @Test
    void tcpOptionMatchingExpectNoneStrictModeAndConn() {
        lab.inject(lab.tcp(Map.of("flags", "S", "mss", 1000)));
        lab.expect(Map.of("flags", "S.", "mss", 1460, "sackOK", false, "within", lab.ms(50)));
        lab.reset();
        lab.inject(lab.tcp(Map.of("flags", "S")));
        LabFailure f = assertThrows(LabFailure.class, () -> lab.expect(Map.of("flags", "S.", "mss", 536)));
        assertTrue(f.getMessage().contains("expect failed: mss option"), f.getMessage());
        lab.reset();
        lab.inject(lab.tcp(Map.of("flags", "S")));
        f = assertThrows(LabFailure.class, () -> lab.expect(Map.of("flags", "S.", "wscale", "*")));
        assertTrue(f.getMessage().contains("expect failed: wscale option"), "lwIP offers no window scaling: " + f.getMessage());

        // expectNone, then the handshake's state as the peer sees it, with relative numbers in trace.tcp
        lab.reset();
        lab.expectNone(Map.of("within", lab.ms(20)));
        lab.inject(lab.tcp(Map.of("flags", "S")));
        f = assertThrows(LabFailure.class, () -> lab.expectNone(Map.of("within", lab.ms(20))));
        assertTrue(f.getMessage().startsWith("expectNone failed: the guest sent a packet"), f.getMessage());
        lab.inject(lab.tcp(Map.of("flags", ".", "seq", 1, "ack", 1)));
        lab.inject(lab.tcp(Map.of("flags", "P.", "data", "hello")));
        lab.advance(lab.ms(300));
        TcpView.Conn c = lab.getConn();
        assertEquals(6, c.rcvNxt(), c.toString());
        assertEquals(6, c.sndNxt(), "the SYN and the echoed 'hello': " + c);
        assertEquals(1, c.sndUna(), "the peer acknowledged the SYN only: " + c);
        String first = lab.trace.getTcp().get(0).toString();
        assertTrue(first.endsWith("< S 0:0(0) win 65535"), first);
        assertTrue(lab.trace.getTcp().get(1).toString().endsWith("> S. 0:0(0) ack 1 win 23360 <mss 1460>"),
                lab.trace.getTcp().toString());

        // strict mode: the echo the guest sent back was never expected
        lab.setStrict(true);
        try {
            f = assertThrows(LabFailure.class, () -> lab.inject(lab.tcp(Map.of("flags", "."))));
            assertTrue(f.getMessage().startsWith("unexpected packet from the guest (strict mode"), f.getMessage());
        } finally {
            lab.setStrict(false);
        }
    }
}
