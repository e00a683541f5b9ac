package dev.wirelab.fuzz.campaign;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.coverage.JazzerCounters;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.finding.FindingPipeline;
import dev.wirelab.fuzz.finding.FindingStore;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputDecoder;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.Oracles;
import dev.wirelab.fuzz.oracle.WireMonitorOracle;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;

/**
 * One target fuzzed in this JVM: the prepared lab, the standard oracles plus the wire monitor, the
 * guest coverage feed and the finding pipeline. A finding is stored (if its title is new) and the
 * run goes on, so one run can end with several unique findings; nothing is thrown to the engine.
 */
public final class Campaign implements AutoCloseable {
    private final FuzzLab lab;
    private final Oracles oracles;
    private final FindingPipeline pipeline;
    private final JazzerCounters counters;
    private final FindingTally tally;
    /** Inputs run so far (the corpus replay included): the finding line names it for the time-to-find bench. */
    private long executions;

    public Campaign(CampaignSettings s) {
        GuestProfile profile = GuestProfile.named(s.guest());
        FindingStore store = FindingStore.open(s.out());
        ExecSettings settings = ExecSettings.defaults();
        this.lab = FuzzLab.open(profile, s.target(), settings);
        WireMonitorOracle monitor = new WireMonitorOracle(s.promote().isEmpty()
                ? EnumSet.noneOf(dev.wirelab.fuzz.monitor.Invariant.class) : EnumSet.copyOf(s.promote()));
        this.oracles = Oracles.standard(profile).with(monitor);
        this.pipeline = new FindingPipeline(lab, oracles, monitor, store, settings, s.version());
        this.counters = new JazzerCounters(lab.edges());
        this.tally = new FindingTally(store.directory());
    }

    /** Runs one input; returns the directory of a new finding it produced, if any. */
    public Optional<Path> run(byte[] data) {
        FuzzInput input = InputDecoder.decode(lab.target(), data);
        executions++;
        Execution e = lab.execute(input);
        counters.publish();
        Optional<Finding> f = oracles.check(e, lab.lab());
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> saved = pipeline.handle(input, f.get());
        saved.ifPresent(p -> System.err.println("wirelab-finding: " + f.get().title() + " -> " + p
                + " (execution " + executions + ")"));
        if (saved.isEmpty()) {
            tally.seenAgain(f.get().title());
        }
        return saved;
    }

    /** Writes the counts of already-stored findings hit since the last write. */
    public void flushCounts() {
        tally.flush();
    }

    /** The executor (the bench measures it exactly as campaigns run it). */
    public FuzzLab lab() {
        return lab;
    }

    @Override
    public void close() {
        tally.flush();
        lab.close();
    }
}
