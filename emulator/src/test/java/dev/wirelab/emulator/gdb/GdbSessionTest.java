package dev.wirelab.emulator.gdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packet handler against a fake target: every packet GDB sends, and hostile ones. */
class GdbSessionTest {
    /** A target with 68 zeroed registers and 4 KiB of memory at 0x1000. */
    static final class FakeTarget implements GdbTarget {
        final byte[][] regs = new byte[TargetDescription.COUNT][];
        final byte[] mem = new byte[4096];
        final List<StopPoint> points = new ArrayList<>();
        final List<Resume> resumes = new ArrayList<>();

        FakeTarget() {
            for (int n = 0; n < regs.length; n++) {
                regs[n] = new byte[TargetDescription.size(n)];
            }
        }

        @Override
        public byte[] readRegister(int n) {
            return regs[n].clone();
        }

        @Override
        public void writeRegister(int n, byte[] value) {
            regs[n] = value.clone();
        }

        @Override
        public byte[] readMemory(long address, int length) {
            if (address < 0x1000 || address + length > 0x2000) {
                throw new MemoryFault("no memory");
            }
            return java.util.Arrays.copyOfRange(mem, (int) address - 0x1000, (int) address - 0x1000 + length);
        }

        @Override
        public void writeMemory(long address, byte[] data) {
            if (address < 0x1000 || address + data.length > 0x2000) {
                throw new MemoryFault("no memory");
            }
            System.arraycopy(data, 0, mem, (int) address - 0x1000, data.length);
        }

        @Override
        public boolean insert(StopPoint point) {
            return points.add(point);
        }

        @Override
        public boolean remove(StopPoint point) {
            return points.remove(point);
        }

        @Override
        public StopEvent resume(Resume how) {
            resumes.add(how);
            return StopEvent.of(StopEvent.Kind.STEPPED);
        }

        @Override
        public void interrupt() { }

        @Override
        public StopEvent lastStop() {
            return StopEvent.of(StopEvent.Kind.INTERRUPTED);
        }
    }

    private final FakeTarget target = new FakeTarget();
    private final GdbSession session = new GdbSession(target, cmd -> cmd.equals("help") ? "help text\n" : "", 0x4000);

    private String reply(String packet) {
        return assertInstanceOf(GdbSession.Action.Reply.class, session.handle(packet)).payload();
    }

    @Test
    void supportedFeaturesIncludeReverseExecution() {
        String s = reply("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+");
        assertTrue(s.contains("ReverseStep+") && s.contains("ReverseContinue+") && s.contains("qXfer:features:read+"), s);
    }

    @Test
    void targetXmlIsServedInChunks() {
        StringBuilder xml = new StringBuilder();
        int off = 0;
        while (true) {
            String r = reply(String.format("qXfer:features:read:target.xml:%x,%x", off, 0x200));
            xml.append(r.substring(1));
            off += r.length() - 1;
            if (r.charAt(0) == 'l') {
                break;
            }
            assertEquals('m', r.charAt(0));
        }
        assertEquals(TargetDescription.xml(), xml.toString());
        assertTrue(xml.toString().contains("org.gnu.gdb.aarch64.fpu"));
        assertEquals("E00", reply("qXfer:features:read:other.xml:0,100"));
    }

    @Test
    void registersReadAndWrite() {
        assertEquals((31 + 2) * 16 + 4 * 2 + 32 * 32 + 8 * 2, reply("g").length());
        assertEquals("OK", reply("P20=0010204000000000")); // pc
        assertEquals("0010204000000000", reply("p20"));
        assertEquals("OK", reply("P22=" + "11".repeat(16))); // v0
        assertEquals("11".repeat(16), reply("p22"));
        assertEquals("E01", reply("p99"));
        assertEquals("E01", reply("Pzz=00"));
        assertEquals("E01", reply("P0=00")); // wrong size
    }

    @Test
    void memoryReadWriteAndFaults() {
        assertEquals("OK", reply("M1000,4:deadbeef"));
        assertEquals("deadbeef", reply("m1000,4"));
        assertEquals("E14", reply("m0,4"));
        assertEquals("E01", reply("m1000"));
        assertEquals("E01", reply("M1000,4:dead"));
        assertEquals("E01", reply("m1000,ffffff")); // more than a packet can carry
    }

    @Test
    void breakAndWatchpoints() {
        assertEquals("OK", reply("Z0,40000000,4"));
        assertEquals("OK", reply("Z2,40001000,4"));
        assertEquals("OK", reply("z0,40000000,4"));
        assertEquals("", reply("Z9,0,4"));
        assertEquals("E01", reply("Z2,0,0"));
        assertEquals(1, target.points.size());
    }

    @Test
    void resumePacketsIncludingReverse() {
        assertInstanceOf(GdbSession.Action.Resume.class, session.handle("vCont;s:1;c"));
        assertInstanceOf(GdbSession.Action.Resume.class, session.handle("c"));
        assertEquals(GdbTarget.Resume.REVERSE_STEP,
                assertInstanceOf(GdbSession.Action.Resume.class, session.handle("bs")).how());
        assertEquals(GdbTarget.Resume.REVERSE_CONTINUE,
                assertInstanceOf(GdbSession.Action.Resume.class, session.handle("bc")).how());
        assertEquals("vCont;c;C;s;S", reply("vCont?"));
    }

    @Test
    void threadQueriesAndStopReason() {
        assertEquals("QC1", reply("qC"));
        assertEquals("m1", reply("qfThreadInfo"));
        assertEquals("l", reply("qsThreadInfo"));
        assertEquals("1", reply("qAttached"));
        assertEquals("T02thread:01;", reply("?"));
        assertEquals("OK", reply("Hg0"));
        assertEquals("OK", reply("T1"));
    }

    @Test
    void monitorGoesThroughQRcmdAsHex() {
        String hex = HexFormat.of().formatHex("help".getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex("help text\n".getBytes(StandardCharsets.UTF_8)), reply("qRcmd," + hex));
        assertEquals("E01", reply("qRcmd,zz"));
    }

    @Test
    void detachKillAndUnknownPackets() {
        assertInstanceOf(GdbSession.Action.Detach.class, session.handle("D"));
        assertInstanceOf(GdbSession.Action.Kill.class, session.handle("k"));
        assertEquals("", reply("qWhatever"));
        assertEquals("", reply("!"));
        assertEquals("", reply(""));
    }

    /** Seeded random packets: always an action, never an exception. */
    @Test
    void randomPacketsNeverThrow() {
        Random r = new Random(15);
        String alphabet = "gGpPmMZzcsbvqQHTDk?0123456789abcdef,:;=#$}*XxCS.-";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder p = new StringBuilder();
            int n = r.nextInt(40);
            for (int k = 0; k < n; k++) {
                p.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            GdbSession.Action a = session.handle(p.toString());
            assertTrue(a != null);
        }
    }
}
