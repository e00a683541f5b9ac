package dev.wirelab.emulator.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every verb with named arguments refuses a misspelled key with a suggestion, and a wrong value kind. */
class NamedArgsTest {
    private final Lab lab = new Lab();   // not booted: the check runs before anything else

    private static String refused(Executable call) {
        return assertThrows(BadArgument.class, call).getMessage();
    }

    @Test
    void bootSuggestsTheKey() {
        assertEquals("boot: unknown argument 'imgae' (did you mean 'image'?)", refused(() -> lab.boot(Map.of("imgae", "x.elf"))));
    }

    @Test
    void untilSuggestsTheKey() {
        assertEquals("until: unknown argument 'withn' (did you mean 'within'?)", refused(() -> lab.until(Map.of("withn", 5))));
    }

    @Test
    void untilWithAClosureChecksTheMapToo() {
        assertTrue(refused(() -> lab.until(Map.of("withn", 5), () -> true)).contains("did you mean 'within'?"));
    }

    @Test
    void advanceSuggestsTheKey() {
        assertEquals("advance: unknown argument 'mss' (did you mean 'ms'?)", refused(() -> lab.advance(Map.of("mss", 10))));
    }

    @Test
    void tcpSuggestsTheKey() {
        assertEquals("tcp: unknown argument 'flgs' (did you mean 'flags'?)", refused(() -> lab.tcp(Map.of("flgs", "S"))));
    }

    @Test
    void udpSuggestsTheKey() {
        assertEquals("udp: unknown argument 'dprot' (did you mean 'dport'?)", refused(() -> lab.udp(Map.of("dprot", 7))));
    }

    @Test
    void icmpSuggestsTheKey() {
        assertEquals("icmp: unknown argument 'sq' (did you mean 'seq'?)", refused(() -> lab.icmp(Map.of("sq", 1))));
    }

    @Test
    void injectSuggestsTheKey() {
        assertEquals("inject: unknown argument 'att' (did you mean 'at'?)", refused(() -> lab.inject(Map.of("att", 5), new byte[60])));
    }

    @Test
    void expectSuggestsTheKey() {
        assertEquals("expect: unknown argument 'flgs' (did you mean 'flags'?)", refused(() -> lab.expect(Map.of("flgs", "S."))));
        assertEquals("expect: unknown argument 'dat' (did you mean 'data'?)", refused(() -> lab.expect(Map.of("dat", "zzz"))));
    }

    @Test
    void aKeyFarFromAllListsThem() {
        String m = refused(() -> lab.inject(Map.of("whenever", 1), new byte[60]));
        assertEquals("inject: unknown argument 'whenever' (it takes: after, at)", m);
    }

    @Test
    void wrongValueKindsSayWhatWasWanted() {
        assertEquals("expect: argument 'within' must be a duration in ticks (e.g. ms(10)), got String 'abc'",
                refused(() -> lab.expect(Map.of("within", "abc"))));
        assertEquals("tcp: argument 'flags' must be TCP flags such as 'S', 'S.', 'P.', 'F.', 'R' or '.', got String 'SYN'",
                refused(() -> lab.tcp(Map.of("flags", "SYN"))));
        assertTrue(refused(() -> lab.tcp(Map.of("seq", 1.5))).contains("'seq' must be an integer, got Double 1.5"));
        assertTrue(refused(() -> lab.boot(Map.of("ready", "yes"))).contains("'ready' must be true or false"));
        assertTrue(refused(() -> lab.expect(Map.of("proto", "sctp"))).contains("'proto' must be one of 'tcp', 'udp', 'icmp'"));
        assertTrue(refused(() -> lab.tcp(Map.of("ts", List.of(1)))).contains("'ts' must be a list of two integers"));
        assertTrue(refused(() -> lab.tcp(Map.of("sack", List.of(1, 5)))).contains("'sack' must be a list of [left, right] pairs"));
        assertEquals(List.of(List.of(13L, 5L)), NamedArgs.TCP.check(Map.of("sack", List.of(List.of(13, 5)))).get("sack"));
    }

    @Test
    void integralNumbersOfAnyTypeConvert() {
        Map<String, Object> m = NamedArgs.TCP.check(Map.of("seq", 5, "ack", 6L, "win", BigInteger.valueOf(7),
                "sport", new BigDecimal("40000"), "dport", "0x7", "mss", 1460.0));
        assertEquals(Map.of("seq", 5L, "ack", 6L, "win", 7L, "sport", 40000L, "dport", 7L, "mss", 1460L), m);
        assertEquals(128L << 20, NamedArgs.BOOT.check(Map.of("ram", "128M")).get("ram"));
    }

    @Test
    void aClosureBecomesACondition() {
        Callable<Object> closure = () -> true;   // what a Groovy closure is to Java
        Object c = NamedArgs.UNTIL.check(Map.of("condition", closure)).get("condition");
        assertTrue(assertInstanceOf(BooleanSupplier.class, c).getAsBoolean());
    }

    @Test
    void wildcardsStayWhereExpectTakesThem() {
        assertEquals(Map.of("win", "*", "flags", "*", "data", "*"), NamedArgs.EXPECT.check(Map.of("win", "*", "flags", "*", "data", "*")));
        assertTrue(refused(() -> lab.tcp(Map.of("win", "*"))).contains("'win' must be an integer"));
    }
}
