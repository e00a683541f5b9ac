package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.Execution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The oracles a target runs, in order; the first finding wins (a panic explains the hang after it). */
public final class Oracles {
    private final List<Oracle> oracles;

    public Oracles(List<Oracle> oracles) {
        this.oracles = List.copyOf(oracles);
    }

    /** Panic, fault, liveness, hang — for any guest described by {@code profile} (a guest that spins transmitting is a liveness bug first). */
    public static Oracles standard(GuestProfile profile) {
        return new Oracles(List.of(new PanicOracle(profile), new FaultOracle(), new LivenessOracle(), new HangOracle()));
    }

    /** These oracles and {@code more} after them (e.g. the passive TCP wire monitor). */
    public Oracles with(Oracle... more) {
        List<Oracle> l = new ArrayList<>(oracles);
        l.addAll(List.of(more));
        return new Oracles(l);
    }

    public Optional<Finding> check(Execution e, Lab lab) {
        for (Oracle o : oracles) {
            Optional<Finding> f = o.check(e, lab);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }
}
