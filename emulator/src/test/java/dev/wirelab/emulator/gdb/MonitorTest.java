package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.net.VirtualWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab's monitor commands against a real board: each does what it says, bad ones say what to type. */
class MonitorTest {
    @TempDir
    Path dir;
    private Board board;
    private BoardTarget target;
    private Monitor monitor;

    @BeforeEach
    void boot() throws Exception {
        board = TestGuests.board("timer_irq.elf");
        VirtualWire wire = VirtualWire.attach(board);
        target = new BoardTarget(board);
        monitor = new Monitor(target, wire);
    }

    @AfterEach
    void close() {
        monitor.close();
        target.close();
        board.close();
    }

    @Test
    void snapshotRestoreTimeAndHistory() {
        target.resume(GdbTarget.Resume.STEP);
        assertTrue(monitor.run("snapshot a").startsWith("snapshot a at instruction 1"));
        target.resume(GdbTarget.Resume.STEP);
        target.resume(GdbTarget.Resume.STEP);
        assertTrue(monitor.run("time").startsWith("instructions 3,"), monitor.run("time"));
        assertEquals("restored a: instruction 1\n", monitor.run("restore a"));
        assertTrue(monitor.run("time").startsWith("instructions 1,"));
        // history starts again at the restored point: nothing before it to go back to
        assertEquals(StopEvent.Kind.HISTORY_BEGIN, target.resume(GdbTarget.Resume.REVERSE_STEP).kind());
        assertTrue(monitor.run("history").contains("now at 1 (live)"), monitor.run("history"));
        assertTrue(monitor.run("restore nope").startsWith("usage: monitor restore NAME (known: a)"));
    }

    @Test
    void tickRaisesTheTimerInterruptAndTraceShowsIt() {
        assertTrue(monitor.run("tick").startsWith("timer interrupt raised at instruction 0"));
        String trace = monitor.run("trace last 1");
        assertTrue(trace.startsWith("T at instruction 0"), trace);
        assertTrue(trace.contains("trace hash " + board.trace().hex()), trace);
        assertEquals("usage: monitor trace last N | monitor trace hash\n", monitor.run("trace last x"));
    }

    @Test
    void physSwitchesAddressSpaces() {
        assertEquals("memory addresses are physical\n", monitor.run("phys on"));
        assertTrue(target.physical());
        assertEquals("memory addresses are virtual\n", monitor.run("phys off"));
        assertTrue(monitor.run("phys maybe").startsWith("usage: monitor phys on|off"));
    }

    @Test
    void injectReadsACaptureOrSaysWhy() throws Exception {
        assertTrue(monitor.run("inject " + dir.resolve("missing.pcap")).startsWith("no such capture file"));
        Path junk = Files.write(dir.resolve("junk.pcap"), new byte[] {1, 2, 3});
        assertTrue(monitor.run("inject " + junk).startsWith("cannot read"), monitor.run("inject " + junk));
        // a pcap with one Ethernet frame (a broadcast ARP request)
        byte[] frame = new byte[42];
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) 0xff;
        }
        frame[12] = 0x08;
        frame[13] = 0x06;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + 16 + frame.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(0).putInt(0).putInt(frame.length).putInt(frame.length).put(frame);
        Path pcap = Files.write(dir.resolve("one.pcap"), b.array());
        assertEquals("injected 1 Ethernet frame(s) from " + pcap + "\n", monitor.run("inject " + pcap));
    }

    @Test
    void unknownCommandsPointAtHelp() {
        assertEquals("unknown monitor command 'frobnicate'; try 'monitor help'\n", monitor.run("frobnicate"));
        assertTrue(monitor.run("help").contains("reverse") || monitor.run("help").contains("history"));
    }
}
