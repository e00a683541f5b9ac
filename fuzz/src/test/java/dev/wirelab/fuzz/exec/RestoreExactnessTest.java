package dev.wirelab.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.Seeds;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputDecoder;
import dev.wirelab.fuzz.input.InputEncoder;
import dev.wirelab.fuzz.input.StreamTarget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A restore after executions must leave the machine exactly as a restore into an untouched
 * lab does: restores skip what did not change and put state back into the existing objects,
 * so anything they miss shows here. Two labs run the same inputs in opposite orders; every
 * input must give the same run in both (trace hash, coverage, instructions, frames), and after
 * a last common input guest RAM and the CPU must match byte for byte.
 */
class RestoreExactnessTest {
    private record Run(String hash, int edges, long instructions, long ticks, List<String> frames) { }

    @ParameterizedTest
    @EnumSource(StreamTarget.class)
    void everyInputRunsAsOnAFreshLabWhateverRanBefore(StreamTarget target) throws Exception {
        List<FuzzInput> inputs = inputs(target);
        try (FuzzLab a = FuzzLab.open(GuestProfile.defaultGuest(), target, ExecSettings.defaults());
             FuzzLab b = FuzzLab.open(GuestProfile.defaultGuest(), target, ExecSettings.defaults())) {
            List<Run> forward = new ArrayList<>();
            for (FuzzInput in : inputs) {
                forward.add(run(a, in));
            }
            List<Run> backward = new ArrayList<>();
            for (FuzzInput in : inputs.reversed()) {
                backward.add(run(b, in));
            }
            for (int i = 0; i < inputs.size(); i++) {
                assertEquals(forward.get(i), backward.get(inputs.size() - 1 - i), "input " + i + " of " + target.id()
                        + " ran differently after other inputs: " + inputs.get(i));
            }
            assertTrue(forward.stream().map(Run::hash).distinct().count() > 1, "the inputs drive different runs");
            FuzzInput last = inputs.get(inputs.size() / 2);
            assertEquals(run(a, last), run(b, last));
            assertArrayEquals(digest(a), digest(b), "guest RAM and registers after the same last input");
        }
    }

    private static Run run(FuzzLab lab, FuzzInput in) {
        Execution e = lab.execute(in);
        return new Run(lab.lab().trace.getHash(), lab.edges().edgesHit(), e.instructions(), e.ticks(),
                e.frames().stream().map(FrameEvent::toString).toList());
    }

    /** The built-in seeds and seeded mutations of them (the same inputs every run). */
    private static List<FuzzInput> inputs(StreamTarget target) {
        List<FuzzInput> seeds = new ArrayList<>(Seeds.forTarget(target).values());
        List<FuzzInput> all = new ArrayList<>(seeds);
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 12; i++) {
            byte[] b = InputEncoder.encode(seeds.get(r.nextInt(seeds.size())));
            for (int k = 0; k < 3 && b.length > 0; k++) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            all.add(InputDecoder.decode(target, b));
        }
        return all;
    }

    private static byte[] digest(FuzzLab lab) throws NoSuchAlgorithmException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(lab.lab().getBoard().ram().asByteBuffer());
        for (int i = 0; i <= 30; i++) {
            d.update(Long.toString(lab.lab().getBoard().x(i)).getBytes());
        }
        d.update(Long.toString(lab.lab().getBoard().pc()).getBytes());
        return d.digest();
    }
}
